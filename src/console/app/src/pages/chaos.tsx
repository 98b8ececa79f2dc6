/** Chaos: not built yet (see issue 6). */
export function Chaos() {
  return (
    <section>
      <h1>Chaos</h1>
      <p class="empty">This page is not built yet.</p>
    </section>
  );
}
