// The watch pages' service worker: keeps the page shell so a volunteer can
// open the check-in page and record a visit with no network (the visit waits
// in the page's queue). Network first, so a deployed change shows at once
// when online; the cache is only the fallback. API calls are never cached.
// Bump VERSION when the shell list changes.
const VERSION = "watch-shell-v1";

const SHELL = [
  "/watch/checkin/",
  "/watch/checkin/checkin.js",
  "/watch/my/",
  "/watch/my/my.js",
  "/watch/watch.js",
  "/watch/watch.css",
  "/assets/app.js",
  "/assets/app.css",
  "/assets/icon.svg",
  "/vendor/pocketbase/pocketbase.es.mjs",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("watch-shell-") && key !== VERSION) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  event.respondWith((async () => {
    try {
      const res = await fetch(req);
      // Refresh the shell copy; the query (?t=TOKEN) is not part of the key.
      if (res.ok && SHELL.includes(url.pathname)) {
        const cache = await caches.open(VERSION);
        await cache.put(url.pathname, res.clone());
      }
      return res;
    } catch (err) {
      const hit = await caches.match(url.pathname, { cacheName: VERSION });
      if (hit) return hit;
      throw err;
    }
  })());
});
