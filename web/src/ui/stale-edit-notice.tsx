/** What a 412 (the item changed since it was read) means, with a way to reload the item. */
export function StaleEditNotice({ onReload }: { onReload: () => void }) {
  return (
    <div class="stale-edit" role="alert">
      <p class="problem-title">Changed meanwhile</p>
      <p>Someone changed this item after you opened it, so your edit was not saved. Reload it to see the current version, then edit again.</p>
      <button type="button" onClick={onReload}>
        Reload
      </button>
    </div>
  );
}
