{% load static %}// Keeps the visit pages opened today, and the app's static files, available offline.
const CACHE = "visits-v1";
const STATIC_PREFIX = "{% get_static_prefix %}";
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
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const visitPage = /^\/d\/[^/]+\/visits\//.test(url.pathname);
  if (!visitPage && !url.pathname.startsWith(STATIC_PREFIX)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() =>
        caches.match(request).then(
          (hit) =>
            hit ||
            new Response("You are offline, and this page was not opened on this tablet today.", {
              status: 503,
              headers: { "Content-Type": "text/plain; charset=utf-8" },
            }),
        ),
      ),
  );
});
