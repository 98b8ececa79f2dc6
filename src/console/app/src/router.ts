/** Hash routes (`#/traces/abc`): the console is static files, so the server needs no route table. */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  page: string;
  rest: string[];
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = 'overview', ...rest] = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page, rest, params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function href(page: string, rest: string[] = [], params?: Record<string, string>): string {
  const query = params ? `?${new URLSearchParams(params)}` : '';
  return `#/${[page, ...rest].map(encodeURIComponent).join('/')}${query}`;
}
