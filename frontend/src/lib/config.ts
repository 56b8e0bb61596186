import { ClientConfig } from '$contracts/auth.ts';

/**
 * Where the API and the sign-in endpoint are. The SPA is the same build in both clouds; only
 * /config.json differs (written by CDK into the bucket in AWS, served by the gateway locally).
 */
export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<ClientConfig> {
  const response = await fetchFn('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`Could not load /config.json (HTTP ${response.status})`);
  const config = ClientConfig.parse(await response.json());
  // Paths are joined as `${apiUrl}/api/...`; an empty apiUrl means "this origin".
  return { ...config, apiUrl: config.apiUrl.replace(/\/+$/, '') };
}
