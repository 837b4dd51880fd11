/** A way to spoil a route's URL: its parameters or its query. */
export interface HostileUrl {
  name: string;
  /** The value put in every path parameter, already percent-encoded. */
  parameter?: string;
  /** A query string appended to the URL. */
  query?: string;
}

export const HOSTILE_URLS: HostileUrl[] = [
  { name: 'a NUL in a parameter', parameter: 'a%00b' },
  { name: 'malformed percent-encoding', parameter: '%E0%A4%A' },
  { name: 'percent-encoded bytes that are not UTF-8', parameter: '%C3%28' },
  { name: 'a parameter of 4,000 characters', parameter: 'a'.repeat(4_000) },
  { name: '__proto__ as a parameter', parameter: '__proto__' },
  { name: 'constructor as a parameter', parameter: 'constructor' },
  { name: 'a NUL in the query', query: 'namespace=a%00b' },
  {
    name: 'a query parameter given twice',
    query: 'namespace=a&namespace=b&limit=1&limit=2',
  },
  {
    name: 'a query parameter nested as an object',
    query: 'namespace[a][b][c]=1&limit[__proto__]=1',
  },
  { name: 'a limit that is not a number', query: 'limit=1e400' },
];
