/** Traces: not built yet (see issue 6). */
export function Traces() {
  return (
    <section>
      <h1>Traces</h1>
      <p class="empty">This page is not built yet.</p>
    </section>
  );
}
