{% load static i18n %}// Lets a tablet keep logging observations offline without keeping anything private: a tablet is
// shared, and what this worker caches is readable by whoever holds it next. It keeps only
//   - the app's static files, and
//   - the empty observation form of each visit observed since signing in (the "shell": no notes,
//     no one's name, no calendar address), served for that visit's observation page offline.
// Every other page (a visit, the calendar, any page with data) always comes from the server.
// Signing in or out drops the shells, and a shell older than a session is never served, so a
// signed-out tablet shows none. The outbox (IndexedDB, static/js/observe.js) is separate: it
// survives sign-out, encrypted under its writer's key, and that key is deleted here too.
const VERSION = "{{ version }}";
const STATIC_CACHE = "static-" + VERSION;
const SHELL_CACHE = "observe-shell-" + VERSION;
const SESSION_MS = {{ session_seconds }} * 1000;
const STATIC_PREFIX = "{% get_static_prefix %}";
const SIGN_IN_OUT = ["{% url 'accounts:login' %}", "{% url 'accounts:logout' %}"];
const OBSERVE_PAGE = /^\/d\/[^/]+\/visits\/\d+\/observe\/$/;
const OFFLINE = "{% translate 'You are offline. On this tablet only the observation form of a visit you observed since signing in works offline.' as offline %}{{ offline|escapejs }}";
const ASSETS = [
  "{% static 'css/fonts.css' %}",
  "{% static 'css/app.css' %}",
  "{% static 'js/observe.js' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'fonts/Inter-Regular.woff2' %}",
  "{% static 'fonts/Inter-SemiBold.woff2' %}",
  "{% static 'fonts/Inter-Bold.woff2' %}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

// Earlier versions kept whole pages (private notes, calendar addresses): nothing they cached survives.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== STATIC_CACHE && n !== SHELL_CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

const forgetShells = () => caches.delete(SHELL_CACHE);

// The pages delete it too (static/js/forget-keys.js); this covers a page whose script did not run.
const forgetKeys = () =>
  new Promise((resolve) => {
    const request = indexedDB.deleteDatabase("district-planning-keys");
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });

// An observation page, once loaded signed in, asks for its visit's shell to be kept.
self.addEventListener("message", (event) => {
  const port = event.ports[0];
  const page = event.source && event.source.url ? new URL(event.source.url) : null;
  if (event.data !== "keep-shell" || !port || !page || !OBSERVE_PAGE.test(page.pathname)) return;
  const shell = page.pathname + "shell/";
  event.waitUntil(
    fetch(shell, { credentials: "same-origin", redirect: "error" })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const headers = new Headers(response.headers);
        headers.set("X-Kept-At", String(Date.now()));
        const kept = new Response(await response.blob(), { status: response.status, headers });
        return caches.open(SHELL_CACHE).then((cache) => cache.put(shell, kept));
      })
      .then(
        () => port.postMessage("kept"),
        () => port.postMessage("not kept"),
      ),
  );
});

function offline() {
  return new Response(OFFLINE, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

async function shellFor(pathname) {
  const cache = await caches.open(SHELL_CACHE);
  const shell = await cache.match(pathname + "shell/");
  const age = shell ? Date.now() - Number(shell.headers.get("X-Kept-At")) : Infinity;
  return age < SESSION_MS ? shell : offline();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Opening the sign-in page, signing in or signing out: whoever had this tablet is done with it.
  if (SIGN_IN_OUT.includes(url.pathname)) event.waitUntil(Promise.all([forgetShells(), forgetKeys()]));
  if (request.method !== "GET") return;
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.open(STATIC_CACHE).then((cache) => cache.match(request)).then((hit) => hit || offline())),
    );
    return;
  }
  if (request.mode !== "navigate") return;
  event.respondWith(fetch(request).catch(() => (OBSERVE_PAGE.test(url.pathname) ? shellFor(url.pathname) : offline())));
});
