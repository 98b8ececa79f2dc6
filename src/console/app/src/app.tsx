/** The console's shell: navigation, theme, time range, and the page for the route. */
import { useState } from 'preact/hooks';
import { useRoute, href } from './router.js';
import { RANGES, TimeRangeContext } from './time-range.js';
import { Overview } from './pages/overview.js';
import { Traces } from './pages/traces.js';
import { Logs } from './pages/logs.js';
import { Chaos } from './pages/chaos.js';
import { Load } from './pages/load.js';
import { Drills } from './pages/drills.js';
import { Explore } from './pages/explore.js';

const PAGES = [
  { id: 'overview', label: 'Overview', render: () => <Overview /> },
  { id: 'traces', label: 'Traces', render: () => <Traces /> },
  { id: 'logs', label: 'Logs', render: () => <Logs /> },
  { id: 'chaos', label: 'Chaos', render: () => <Chaos /> },
  { id: 'load', label: 'Load', render: () => <Load /> },
  { id: 'drills', label: 'Drills', render: () => <Drills /> },
  { id: 'explore', label: 'Explore', render: () => <Explore /> },
] as const;

export function App() {
  const route = useRoute();
  const [minutes, setMinutes] = useState(5);
  const [theme, setTheme] = useState<'auto' | 'light' | 'dark'>(() => (localStorage.getItem('cloudlab-theme') as 'light' | 'dark' | null) ?? 'auto');
  const page = PAGES.find((p) => p.id === route.page) ?? PAGES[0];
  document.documentElement.dataset['theme'] = theme;
  const chooseTheme = (value: 'auto' | 'light' | 'dark'): void => {
    setTheme(value);
    localStorage.setItem('cloudlab-theme', value);
  };
  return (
    <TimeRangeContext.Provider value={{ minutes, setMinutes }}>
      <header class="top">
        <a class="brand" href={href('overview')}>cloudlab</a>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <a href={href(p.id)} aria-current={p.id === page.id ? 'page' : undefined}>{p.label}</a>
          ))}
        </nav>
        <label>
          <span class="sr-only">Time range</span>
          <select value={minutes} onChange={(e) => setMinutes(Number((e.target as HTMLSelectElement).value))}>
            {RANGES.map((r) => <option value={r.minutes}>{r.label}</option>)}
          </select>
        </label>
        <label>
          <span class="sr-only">Theme</span>
          <select value={theme} onChange={(e) => chooseTheme((e.target as HTMLSelectElement).value as 'auto' | 'light' | 'dark')}>
            <option value="auto">Auto theme</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </header>
      <main id="main">{page.render()}</main>
    </TimeRangeContext.Provider>
  );
}
