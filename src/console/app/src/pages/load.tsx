/** Load: not built yet (see issue 6). */
export function Load() {
  return (
    <section>
      <h1>Load</h1>
      <p class="empty">This page is not built yet.</p>
    </section>
  );
}
