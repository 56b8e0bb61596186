/**
 * The invitation e-mail's text (HTML, as Cognito mails it): the custom message trigger's for a
 * tenant (invitation-message.ts), and the pool's own template (infra/constructs/auth.ts), which
 * Cognito mails when the trigger leaves a message as it is. Pure: the CDK app imports it.
 */

/** How long a temporary password signs in (the pool's TempPasswordValidityDays). */
export const TEMPORARY_PASSWORD_DAYS = 3;

/**
 * `username` and `password`: what the user's name and temporary password are, or Cognito's
 * placeholders for them ({username}, {####}). Without `company`, the invitation names Sheetflow
 * alone; without `signInUrl`, it has no link.
 */
export function invitation({ company, signInUrl, username, password }: { company?: string; signInUrl?: string; username: string; password: string }): { subject: string; html: string } {
  const to = company === undefined ? 'Sheetflow' : `${company} on Sheetflow`;
  const where = signInUrl ? `at <a href="${escapeHtml(signInUrl)}">${escapeHtml(signInUrl)}</a> ` : '';
  return {
    // Cognito takes a subject of at most 140 characters: the name has at most 100 (contracts/tenant.ts).
    subject: `You are invited to ${to}`,
    html:
      `<p>You have been invited to ${escapeHtml(to)}.</p>` +
      `<p>Sign in ${where}with your e-mail ${username} and the temporary password <b>${password}</b>, then choose a password of your own. ` +
      `The temporary password is valid for ${TEMPORARY_PASSWORD_DAYS} days; after that, ask your administrator to send the invitation again.</p>`,
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
