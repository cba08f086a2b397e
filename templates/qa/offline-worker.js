// Instructors' offline copy of the cohort pages: every GET goes to the network as
// usual; only when the network fails is the copy that the page itself kept
// (quick_entry.js, cache "mspt3-offline") served, so a reload while offline still
// shows the page and its outbox of unsent questions. Nothing else is cached here.
var CACHE = "mspt3-offline";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).catch(function (error) {
      return caches.open(CACHE)
        .then(function (cache) { return cache.match(request, { ignoreVary: true }); })
        .then(function (kept) {
          if (kept) return kept;
          throw error;
        });
    })
  );
});
