// Session idle timeout: after `timeoutMs` without keys, clicks, wheel or touch the page signs the user out (the
// layout's hidden logout form, a POST with its antiforgery token); `warnMs` before that it asks the server to show a
// warning. While the user is active the sign-in cookie is kept alive (at most one GET /account/keep-alive a minute):
// a circuit's own traffic does not renew it.
const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'];

export function watchIdle(dotnet, timeoutMs, warnMs, formId) {
  let lastActivity = Date.now();
  let lastKeepAlive = Date.now();
  let warned = false;
  const onActivity = () => {
    lastActivity = Date.now();
    if (warned) {
      warned = false;
      dotnet.invokeMethodAsync('OnIdleWarning', 0).catch(() => {});
    }
  };
  events.forEach(e => document.addEventListener(e, onActivity, { passive: true, capture: true }));
  const timer = setInterval(() => {
    const now = Date.now();
    const idle = now - lastActivity;
    if (idle >= timeoutMs) {
      clearInterval(timer);
      const form = document.getElementById(formId);
      if (form) form.submit();
      return;
    }
    if (idle >= timeoutMs - warnMs && !warned) {
      warned = true;
      dotnet.invokeMethodAsync('OnIdleWarning', Math.ceil((timeoutMs - idle) / 1000)).catch(() => {});
    }
    if (lastActivity > lastKeepAlive && now - lastKeepAlive >= 60000) {
      lastKeepAlive = now;
      fetch('/account/keep-alive', { credentials: 'same-origin', cache: 'no-store' }).catch(() => {});
    }
  }, 1000);
  return {
    dispose: () => {
      clearInterval(timer);
      events.forEach(e => document.removeEventListener(e, onActivity, { capture: true }));
    },
  };
}
