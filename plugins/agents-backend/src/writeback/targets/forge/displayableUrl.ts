/** The URL without user name or password, safe to put in a message. */
export function displayableUrl(url: string) {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
