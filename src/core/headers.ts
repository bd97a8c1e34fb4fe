// The security headers every Keel HTTP answer carries: no MIME sniffing, no framing, no referrer, and a content
// policy that lets a card's inline styles and SVG show and nothing load or run.

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
};
