/** The cafe's edge URL from /api/status, for empty states that say where to send a request. */
import { useEffect, useState } from 'preact/hooks';
import { labStatus } from '../../api.js';

export function useEdgeUrl(): string {
  const [url, setUrl] = useState('the edge URL that `cloudlab up` printed');
  useEffect(() => {
    let live = true;
    labStatus().then(
      (s) => {
        const edge = s.urls['cafe (edge)'] ?? Object.entries(s.urls).find(([k]) => k.includes('(edge)'))?.[1];
        if (live && edge) setUrl(edge);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return url;
}
