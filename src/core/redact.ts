// Secrets out of text that is kept or shown: the password in a URL's user info (up to the last "@" of its authority,
// so a password holding "@" is hidden whole) and secret-looking query parameters (password, token, key, secret…).

const SECRET_PARAM =
  /^(password|passwd|pwd|pass|secret|token|access_token|api_key|apikey|key|auth|signature|sslpassword)$/i;

/** One URL with its password and secret query values replaced by ***. */
function redactOne(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme < 0) return url;
  const q = url.slice(scheme + 3).search(/[?#]/);
  const headEnd = q < 0 ? url.length : scheme + 3 + q;
  let head = url.slice(0, headEnd);
  let rest = url.slice(headEnd);
  const at = head.lastIndexOf('@');
  if (at > scheme + 3) {
    const info = head.slice(scheme + 3, at);
    const colon = info.indexOf(':');
    if (colon >= 0) head = `${head.slice(0, scheme + 3)}${info.slice(0, colon)}:***${head.slice(at)}`;
  }
  rest = rest.replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (m, sep: string, k: string) =>
    SECRET_PARAM.test(decodeURIComponent(k)) ? `${sep}${k}=***` : m,
  );
  return head + rest;
}

/** Every URL in `text` (scheme://… up to whitespace) with its secrets replaced. */
export function redactSecrets(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, (url) => redactOne(url));
}

/** A header line ("Name: value") with its value hidden, unless the value only names environment variables. */
export function redactHeader(line: string): string {
  const colon = line.indexOf(':');
  if (colon < 0) return '***';
  const value = line.slice(colon + 1).trim();
  // "Bearer env:TOKEN" names where the secret is, not the secret
  if (/^(\w+\s+)?env:[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return line;
  return `${line.slice(0, colon)}: ***`;
}
