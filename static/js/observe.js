// Observation logging that survives bad Wi-Fi.
//
// What is typed is kept in localStorage as it is typed. Saving puts the observation in an
// IndexedDB outbox on this tablet first, then sends it; anything unsent is sent when the
// connection returns, after a reload too. Each observation carries an id made here, so a save
// that is sent twice is stored once. Without JavaScript the form simply posts.
(function () {
  "use strict";

  const form = document.getElementById("observation-form");
  if (!form || !("indexedDB" in window) || !window.fetch) return;

  const script = document.currentScript || document.querySelector("script[data-sw]");
  const visitKey = form.dataset.visit;
  const draftKey = "observation-draft:" + visitKey;
  const statusLine = document.getElementById("queue-status");
  const outboxList = document.getElementById("outbox");
  const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const STATE_LABEL = { saved: "Saved on this tablet", sent: "Sent", failed: "Failed" };
  let flushing = false;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("district-planning", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("outbox", { keyPath: "client_id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function store(mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction("outbox", mode);
      const request = action(transaction.objectStore("outbox"));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  const put = (record) => store("readwrite", (s) => s.put(record));
  const records = async () =>
    (await store("readonly", (s) => s.getAll()))
      .filter((r) => r.visit === visitKey)
      .sort((a, b) => a.created - b.created);

  function fields() {
    const pairs = [];
    for (const [name, value] of new FormData(form).entries()) {
      if (name !== "csrfmiddlewaretoken") pairs.push([name, value]);
    }
    return pairs;
  }

  function saveDraft() {
    localStorage.setItem(draftKey, JSON.stringify(fields().filter(([name]) => name !== "client_id")));
  }

  function restoreDraft() {
    const saved = localStorage.getItem(draftKey);
    if (!saved) return;
    for (const [name, value] of JSON.parse(saved)) {
      const inputs = form.querySelectorAll(`[name="${name}"]`);
      inputs.forEach((input) => {
        if (input.type === "checkbox" || input.type === "radio") {
          if (input.value === value) input.checked = true;
        } else {
          input.value = value;
        }
      });
    }
  }

  function describe(record) {
    const kind = record.fields.find(([name]) => name === "kind");
    const setting = record.fields.find(([name]) => name === "setting");
    const label = form.querySelector(`input[name="kind"][value="${kind ? kind[1] : ""}"]`);
    const title = label ? label.parentElement.textContent.trim() : "Observation";
    return setting && setting[1] ? `${title} · ${setting[1]}` : title;
  }

  async function render() {
    const all = await records();
    const waiting = all.filter((r) => r.state === "saved").length;
    const failed = all.filter((r) => r.state === "failed").length;
    outboxList.replaceChildren();
    if (!all.length) {
      const empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = "Nothing saved on this tablet yet.";
      outboxList.append(empty);
    }
    for (const record of all) {
      const item = document.createElement("li");
      item.className = "outbox-item state-" + record.state;
      const time = new Date(record.created).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
      const badge = document.createElement("span");
      badge.className = "badge " + (record.state === "sent" ? "ok" : record.state === "failed" ? "bad" : "warn");
      badge.textContent = STATE_LABEL[record.state] + (record.reason ? ": " + record.reason : "");
      item.append(`${time} · ${describe(record)} `, badge);
      outboxList.append(item);
    }
    const parts = [];
    parts.push(waiting ? `${waiting} waiting to send` : "Nothing waiting to send");
    if (failed) parts.push(`${failed} failed`);
    if (!navigator.onLine) parts.push("offline: saves stay on this tablet");
    statusLine.textContent = parts.join(" · ") + ".";
    statusLine.dataset.waiting = String(waiting);
  }

  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (const record of await records()) {
        if (record.state !== "saved") continue;
        let response;
        try {
          response = await fetch(form.action, {
            method: "POST",
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
            body: new URLSearchParams(record.fields),
          });
        } catch (error) {
          record.reason = "no connection, will send when back online";
          await put(record);
          break;
        }
        if (response.ok) {
          record.state = "sent";
          record.reason = "";
        } else if (response.status === 400 || response.status === 409) {
          const body = await response.json().catch(() => ({}));
          const errors = Object.values(body.errors || {}).flat();
          record.state = "failed";
          record.reason = errors.length ? errors.join(" ") : "the server refused it";
        } else if (response.status === 403) {
          record.reason = "sign in again to send";
          await put(record);
          break;
        } else {
          record.reason = `server answered ${response.status}, will try again`;
          await put(record);
          break;
        }
        await put(record);
      }
    } finally {
      flushing = false;
      await render();
    }
  }

  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const pairs = fields();
    if (!pairs.some(([name]) => name === "kind")) {
      statusLine.textContent = "Choose what you are observing before saving.";
      form.querySelector('input[name="kind"]').focus();
      return;
    }
    const clientId = form.querySelector("[name=client_id]");
    await put({ client_id: clientId.value, visit: visitKey, fields: pairs, state: "saved", reason: "", created: Date.now() });
    form.reset();
    clientId.value = newId();
    localStorage.removeItem(draftKey);
    await render();
    const time = new Date().toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    document.getElementById("save-confirmation").textContent =
      `Saved on this tablet at ${time}. Ready for the next observation.`;
    form.querySelector('input[name="kind"]').focus();
    flush();
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  setInterval(flush, 10000);

  // The id in the page is for a form posted without JavaScript; a cached copy of the page
  // may carry one already used, so the tablet always makes its own.
  form.querySelector("[name=client_id]").value = newId();
  restoreDraft();
  render().then(flush);

  if ("serviceWorker" in navigator && script && script.dataset.sw) {
    navigator.serviceWorker
      .register(script.dataset.sw, { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      // The worker keeps this visit's empty form (never this page, which names who is signed in)
      // for offline use, until someone signs in or out.
      .then(
        (registration) =>
          new Promise((resolve, reject) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (event) => (event.data === "kept" ? resolve() : reject());
            registration.active.postMessage("keep-shell", [channel.port2]);
          }),
      )
      .then(() => {
        document.documentElement.dataset.offlineReady = "yes";
      })
      .catch(() => {});
  }
})();
