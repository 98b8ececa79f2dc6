/** Overview: not built yet (see issue 6). */
export function Overview() {
  return (
    <section>
      <h1>Overview</h1>
      <p class="empty">This page is not built yet.</p>
    </section>
  );
}
