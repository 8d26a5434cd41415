// Ctrl+K (⌘K on a Mac) opens the global search from anywhere in the app.
export function watchSearchShortcut(dotnet) {
  const onKey = e => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'k' || e.key === 'K')) {
      e.preventDefault();
      dotnet.invokeMethodAsync('OpenSearch').catch(() => { /* circuit gone */ });
    }
  };
  document.addEventListener('keydown', onKey);
  return { dispose: () => document.removeEventListener('keydown', onKey) };
}
