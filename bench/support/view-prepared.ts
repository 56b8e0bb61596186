/**
 * Waits until the server has prepared a view's type for reading. A type this large is prepared
 * off the request path and answered 202 until it is ready (functions/views/snapshot-build.ts);
 * a benchmark of reads starts after that, as a grid shows its rows after it. Answers the wait.
 */
export async function viewPrepared(url: string, type: string, viewId: string, token: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const response = await fetch(`${url}/api/views/${type}/${viewId}/rows?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status === 200) return performance.now() - started;
    if (response.status !== 202) throw new Error(`view rows answered ${response.status}: ${await response.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
