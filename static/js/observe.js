// Observation logging that survives bad Wi-Fi.
//
// What is typed is kept in localStorage as it is typed. Saving checks the observation against
// the server form's own rules (sent with the page) and, only when it passes, puts it in an
// IndexedDB outbox on this tablet, clears the form and sends it; anything unsent is sent when
// the connection returns, after a reload too. An observation the server refuses stays in the
// outbox with its text, to be corrected and sent again or discarded on purpose. Each
// observation carries an id made here, so a save that is sent twice is stored once. Tablets
// pass between people: the outbox and the draft are kept per signed-in user, and nobody else
// sees or sends them. Without JavaScript the form simply posts.
//
// What is kept is encrypted (AES-GCM) under the writer's key, so a signed-out tablet holds only
// ciphertext. The online page carries the key; it is imported as a key that cannot be read
// back and kept in its own database for the offline page, and signing out or opening the
// sign-in page deletes that database (static/js/forget-keys.js). The writer's next online page
// brings the same key back; what it cannot decrypt (another user's) is never shown or sent.
// Without WebCrypto (a page not served over HTTPS or from localhost) or without a key, the
// form simply posts rather than keeping anything in plain text.
(function () {
  "use strict";

  const form = document.getElementById("observation-form");
  if (!form || !form.dataset.user || !("indexedDB" in window) || !window.fetch) return;
  if (!(window.crypto && crypto.subtle)) return;

  const script = document.currentScript || document.querySelector("script[data-sw]");
  const visitKey = form.dataset.visit;
  const userKey = form.dataset.user;
  const draftKey = `observation-draft:${userKey}:${visitKey}`;
  const rules = JSON.parse(document.getElementById("observation-rules").textContent);
  const statusLine = document.getElementById("queue-status");
  const outboxList = document.getElementById("outbox");
  const clientId = form.querySelector("[name=client_id]");
  const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const T = JSON.parse(document.getElementById("outbox-texts").textContent);
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  const count = (forms, number) => say(forms[number === 1 ? 0 : 1], { count: number });
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let flushing = false;
  let key = null;
  let draftWrites = 0;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function openDb(name, storeName, options) {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(storeName, options);
      request.onsuccess = () => {
        // Lets signing out in another tab delete the keys at once.
        request.result.onversionchange = () => request.result.close();
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
    });
  }

  async function inStore(name, storeName, options, mode, action) {
    const db = await openDb(name, storeName, options);
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(storeName, mode);
      const request = action(transaction.objectStore(storeName));
      transaction.oncomplete = () => {
        db.close();
        resolve(request.result);
      };
      transaction.onerror = () => {
        db.close();
        reject(transaction.error);
      };
    });
  }

  const store = (mode, action) => inStore("district-planning", "outbox", { keyPath: "client_id" }, mode, action);
  const keyStore = (mode, action) => inStore("district-planning-keys", "keys", undefined, mode, action);

  async function unlock() {
    const material = document.getElementById("outbox-key");
    if (!material) return keyStore("readonly", (s) => s.get(userKey));
    const raw = Uint8Array.from(atob(JSON.parse(material.textContent)), (c) => c.charCodeAt(0));
    material.remove();
    const imported = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
    await keyStore("readwrite", (s) => s.put(imported, userKey));
    return imported;
  }

  // The context ties a ciphertext to its place (user and observation, or draft), so one cannot
  // be passed off as another.
  async function seal(value, context) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const params = { name: "AES-GCM", iv, additionalData: encoder.encode(context) };
    const data = await crypto.subtle.encrypt(params, key, encoder.encode(JSON.stringify(value)));
    return { iv, data: new Uint8Array(data) };
  }

  async function unseal(sealed, context) {
    const params = { name: "AES-GCM", iv: sealed.iv, additionalData: encoder.encode(context) };
    return JSON.parse(decoder.decode(await crypto.subtle.decrypt(params, key, sealed.data)));
  }

  const toText = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
  const fromText = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  // Only what places a record stays readable: whose it is, for which visit, when it was saved.
  async function put(record) {
    const { client_id, user, visit, created, fields, state, reason, errors, conflict } = record;
    const sealed = await seal({ fields, state, reason, errors, conflict }, `${user}:${client_id}`);
    return store("readwrite", (s) => s.put({ client_id, user, visit, created, sealed }));
  }

  const remove = (id) => store("readwrite", (s) => s.delete(id));

  async function records() {
    const mine = [];
    for (const record of await store("readonly", (s) => s.getAll())) {
      if (record.user !== userKey || record.visit !== visitKey) continue;
      if (record.fields) {
        // Kept in plain text by an earlier version of this page: encrypted from now on.
        await put(record);
        mine.push(record);
        continue;
      }
      try {
        mine.push({ ...record, ...(await unseal(record.sealed, `${record.user}:${record.client_id}`)) });
      } catch (error) {
        // Not this key's: never shown or sent.
      }
    }
    return mine.sort((a, b) => a.created - b.created);
  }

  function fields() {
    const pairs = [];
    for (const [name, value] of new FormData(form).entries()) {
      if (name !== "csrfmiddlewaretoken") pairs.push([name, value]);
    }
    return pairs;
  }

  const typed = (pairs) => pairs.some(([name, value]) => name !== "client_id" && String(value).trim());

  // A correction keeps the id of the refused observation it replaces, so the draft keeps both.
  // Of drafts being encrypted at once, only the latest is kept.
  async function saveDraft() {
    const turn = ++draftWrites;
    const sealed = await seal({ fields: fields(), replaces: form.dataset.replaces || "" }, draftKey);
    if (turn === draftWrites) {
      localStorage.setItem(draftKey, JSON.stringify({ iv: toText(sealed.iv), data: toText(sealed.data) }));
    }
  }

  function forgetDraft() {
    draftWrites++;
    localStorage.removeItem(draftKey);
  }

  function fill(pairs) {
    form.reset();
    for (const [name, value] of pairs) {
      form.querySelectorAll(`[name="${name}"]`).forEach((input) => {
        if (input.type === "checkbox" || input.type === "radio") {
          if (input.value === value) input.checked = true;
        } else {
          input.value = value;
        }
      });
    }
  }

  async function restoreDraft() {
    const saved = JSON.parse(localStorage.getItem(draftKey) || "null");
    if (!saved) return;
    let draft = saved;
    if (!saved.fields) {
      try {
        draft = await unseal({ iv: fromText(saved.iv), data: fromText(saved.data) }, draftKey);
      } catch (error) {
        return;
      }
    }
    fill(draft.fields);
    if (draft.replaces) form.dataset.replaces = draft.replaces;
    // One kept in plain text by an earlier version of this page is encrypted from now on.
    if (saved.fields) saveDraft();
  }

  function check(pairs) {
    const errors = {};
    for (const [name, rule] of Object.entries(rules)) {
      // The server strips surrounding spaces, then counts characters, not UTF-16 units.
      const value = pairs.filter(([field]) => field === name).map(([, v]) => String(v).trim()).join("");
      const length = [...value].length;
      if (rule.required && !value) errors[name] = [rule.required];
      else if (rule.max_length && length > rule.max_length) {
        errors[name] = [say(rule.too_long, { count: length })];
      }
    }
    return errors;
  }

  function clearErrors() {
    form.querySelectorAll(".errorlist, .form-errors").forEach((node) => node.remove());
    form.querySelectorAll(".has-error").forEach((node) => node.classList.remove("has-error"));
    form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
    form.querySelectorAll("[aria-describedby]").forEach((node) => {
      const ids = node.getAttribute("aria-describedby").split(" ").filter((id) => id && !id.endsWith("-errors"));
      if (ids.length) node.setAttribute("aria-describedby", ids.join(" "));
      else node.removeAttribute("aria-describedby");
    });
  }

  // Each message goes next to its field; one for a field this page does not show (a look-for
  // removed meanwhile) or for the whole observation goes at the top of the form.
  function showErrors(errors) {
    clearErrors();
    let first = null;
    const general = [];
    for (const [name, messages] of Object.entries(errors)) {
      const inputs = form.querySelectorAll(`[name="${name}"]`);
      const box = inputs.length ? inputs[0].closest(".field, fieldset") : null;
      if (!box) {
        general.push(...messages);
        continue;
      }
      const list = document.createElement("ul");
      list.className = "errorlist";
      list.id = `${name}-errors`;
      for (const message of messages) {
        const item = document.createElement("li");
        item.textContent = message;
        list.append(item);
      }
      box.classList.add("has-error");
      box.append(list);
      inputs.forEach((input) => {
        input.setAttribute("aria-invalid", "true");
        // Kept beside the help text it may already point to.
        const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        input.setAttribute("aria-describedby", [...ids, list.id].join(" "));
      });
      first = first || inputs[0];
    }
    if (general.length) {
      const notice = document.createElement("div");
      notice.className = "notice bad form-errors";
      notice.setAttribute("role", "alert");
      notice.textContent = general.join(" ");
      form.prepend(notice);
    }
    if (first) first.focus();
  }

  function describe(record) {
    const kind = record.fields.find(([name]) => name === "kind");
    const setting = record.fields.find(([name]) => name === "setting");
    const label = form.querySelector(`input[name="kind"][value="${kind ? kind[1] : ""}"]`);
    const title = label ? label.parentElement.textContent.trim() : T.untitled;
    return setting && setting[1] ? `${title} · ${setting[1]}` : title;
  }

  function button(text, onClick, extra) {
    const node = document.createElement("button");
    node.type = "button";
    node.className = "button small" + (extra ? " " + extra : "");
    node.textContent = text;
    node.addEventListener("click", onClick);
    return node;
  }

  async function correct(record) {
    if (typed(fields()) && !window.confirm(T.replace_form)) return;
    fill(record.fields);
    // A refused id was never stored, so it is kept; one stored with other content is not reused.
    if (record.conflict) clientId.value = newId();
    form.dataset.replaces = record.client_id;
    saveDraft();
    showErrors(record.errors || {});
    document.getElementById("save-confirmation").textContent = T.correcting;
    if (!form.querySelector("[aria-invalid]")) form.querySelector('input[name="kind"]').focus();
  }

  async function discard(record) {
    const notes = record.fields.find(([name]) => name === "notes");
    if (!window.confirm(notes && notes[1] ? `${T.discard_confirm}\n\n${notes[1]}` : T.discard_confirm)) return;
    await remove(record.client_id);
    if (form.dataset.replaces === record.client_id) {
      delete form.dataset.replaces;
      saveDraft();
    }
    await render();
  }

  async function render() {
    const all = await records();
    const waiting = all.filter((r) => r.state === "saved").length;
    const failed = all.filter((r) => r.state === "failed").length;
    outboxList.replaceChildren();
    if (!all.length) {
      const empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = T.empty;
      outboxList.append(empty);
    }
    for (const record of all) {
      const item = document.createElement("li");
      item.className = "outbox-item state-" + record.state;
      const time = new Date(record.created).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
      const badge = document.createElement("span");
      badge.className = "badge " + (record.state === "sent" ? "ok" : record.state === "failed" ? "bad" : "warn");
      badge.textContent = T[record.state] + (record.reason ? ": " + record.reason : "");
      item.append(`${time} · ${describe(record)} `, badge);
      if (record.state === "failed") {
        const notes = record.fields.find(([name]) => name === "notes");
        if (notes && notes[1]) {
          const text = document.createElement("p");
          text.className = "outbox-notes";
          text.textContent = notes[1];
          item.append(text);
        }
        const actions = document.createElement("div");
        actions.className = "button-row";
        actions.append(
          button(T.correct, () => correct(record)),
          button(T.discard, () => discard(record), "secondary"),
        );
        item.append(actions);
      }
      outboxList.append(item);
    }
    const parts = [];
    parts.push(waiting ? count(T.waiting, waiting) : T.nothing_waiting);
    if (failed) parts.push(count(T.refused, failed));
    if (!navigator.onLine) parts.push(T.offline);
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
          record.reason = T.no_connection;
          await put(record);
          break;
        }
        if (response.ok) {
          record.state = "sent";
          record.reason = "";
          record.errors = {};
        } else if (response.status === 400 || response.status === 409) {
          const body = await response.json().catch(() => ({}));
          record.state = "failed";
          record.errors = body.errors || {};
          record.conflict = response.status === 409;
          const messages = Object.values(record.errors).flat();
          record.reason = messages.length ? messages.join(" ") : T.refused_reason;
        } else if (response.status === 403) {
          record.reason = T.sign_in;
          await put(record);
          break;
        } else {
          record.reason = say(T.server_error, { status: response.status });
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

  async function start() {
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const pairs = fields();
      const errors = check(pairs);
      if (Object.keys(errors).length) {
        document.getElementById("save-confirmation").textContent = "";
        showErrors(errors);
        return;
      }
      clearErrors();
      const replaces = form.dataset.replaces;
      await put({
        client_id: clientId.value,
        user: userKey,
        visit: visitKey,
        fields: pairs,
        state: "saved",
        reason: "",
        created: Date.now(),
      });
      if (replaces && replaces !== clientId.value) await remove(replaces);
      delete form.dataset.replaces;
      form.reset();
      clientId.value = newId();
      forgetDraft();
      await render();
      const time = new Date().toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
      document.getElementById("save-confirmation").textContent = say(T.saved_at, { time });
      form.querySelector('input[name="kind"]').focus();
      flush();
    });

    window.addEventListener("online", flush);
    window.addEventListener("offline", render);
    setInterval(flush, 10000);

    // The id in the page is for a form posted without JavaScript; a cached copy of the page
    // may carry one already used, so the tablet always makes its own (a draft brings back its own).
    clientId.value = newId();
    await restoreDraft();
    render().then(flush);
  }

  unlock()
    .then((found) => {
      // No key (signed out since this page was kept): the form posts as without JavaScript.
      if (!found) return;
      key = found;
      return start();
    })
    .catch(() => {});

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
