// Tells the server that the user is active on the page (keys, clicks, wheel, touch), at most once per interval.
// Used to keep a reviewer's claim on a file alive while they work on it; an idle tab lets the claim lapse.
const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'];

export function watchActivity(dotnet, intervalMs) {
  let last = 0;
  const onActivity = () => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    dotnet.invokeMethodAsync('OnUserActivity').catch(() => { /* circuit gone: nothing to renew */ });
  };
  events.forEach(e => document.addEventListener(e, onActivity, { passive: true, capture: true }));
  return { dispose: () => events.forEach(e => document.removeEventListener(e, onActivity, { capture: true })) };
}
