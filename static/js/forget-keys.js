// The key that decrypts a user's outbox on this tablet (static/js/observe.js) lasts only as long
// as they are signed in: signing out deletes it before the sign-out is sent, and the sign-in page
// deletes every key, so a session that simply ended loses its key too. Unsent observations stay
// on the tablet encrypted until their writer signs in again and opens an observation page.
(function () {
  "use strict";

  if (!("indexedDB" in window)) return;

  // Open observation pages close their connection when asked, so this is not held up; should
  // it be anyway, the deletion still happens as soon as they close.
  const forgetKeys = () =>
    new Promise((resolve) => {
      const request = indexedDB.deleteDatabase("district-planning-keys");
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });

  document.querySelectorAll("form[data-sign-out]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      forgetKeys().then(() => form.submit());
    });
  });
  if (document.querySelector("form[data-sign-in]")) forgetKeys();
})();
