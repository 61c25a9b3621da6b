// The site's root service worker: shows web push notifications and opens
// the notification's in-app page on click. It caches nothing, so it never
// stands between a page and the network. (The watch pages keep their own
// offline worker, /watch/sw.js with scope /watch/, which controls those
// pages; push messages come here whatever page is open.)
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { title: event.data ? event.data.text() : "" };
  }
  const title = data.title || "西条市 lifestage からのお知らせ";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "内容はアプリでご確認ください。",
    icon: "/assets/icon.svg",
    badge: "/assets/icon.svg",
    tag: data.tag || undefined,
    lang: "ja",
    data: { link: safeLink(data.link) },
  }));
});

// Only in-app paths are opened: a payload can never send someone elsewhere.
function safeLink(link) {
  return typeof link === "string" && link.startsWith("/") && !link.startsWith("//") ? link : "/me/";
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(safeLink(event.notification.data?.link), self.location.origin).href;
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const c of open) {
      if (c.url === url && "focus" in c) return c.focus();
    }
    return self.clients.openWindow(url);
  })());
});
