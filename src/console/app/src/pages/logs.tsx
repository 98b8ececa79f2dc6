/** Logs: not built yet (see issue 6). */
export function Logs() {
  return (
    <section>
      <h1>Logs</h1>
      <p class="empty">This page is not built yet.</p>
    </section>
  );
}
