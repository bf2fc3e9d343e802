// The knee-angle tool: a video or photo from the phone, the deepest frame, three points, the
// angle. Loaded by knee-angle-loader.js only when the person opens the tool. The picture stays
// in this page: it is drawn on a canvas from a local blob: URL and never sent anywhere.
//
// The arithmetic lives in knee-angle-core.js (no DOM), re-exported here so the tests import the
// module the browser loads.
import {
  ANSWER_MAX,
  ANSWER_MIN,
  BANDS,
  MEASUREMENT_ERROR_DEGREES,
  TRIALS_PER_LEG,
  fppa,
  nudge,
  summarise,
} from "./knee-angle-core.js";

export * from "./knee-angle-core.js";

const POINTS = ["hip", "knee", "ankle"];
const POINT_NAMES = { hip: "Hip", knee: "Knee", ankle: "Ankle" };
const POINT_WHERE = {
  hip: "the front of the thigh, at the top",
  knee: "the middle of the knee",
  ankle: "the middle of the ankle, between the two ankle bones",
};
const KNEE_IN_WORDS = { none: "no (in line)", slight: "a little", marked: "a lot" };
const FRAME_SECONDS = 1 / 30;
// The longest wait for a frame to reach the page after a seek (see seek below).
const FRAME_WAIT_MS = 250;
// Big frames are scaled down: placing points needs no more, and phones have little memory.
const MAX_FRAME_SIDE = 1280;

let counter = 0;

function html(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? values[i] : ""), "");
}

function template(id) {
  return html`
  <div class="ka-tool">
    <p class="ka-privacy"><strong>Your video stays on this phone.</strong> It is not uploaded or
      saved anywhere. Only the numbers you choose to keep go into your answers.</p>
    <fieldset class="fieldset ka-fieldset">
      <legend class="legend">Which leg are you standing on in this video?</legend>
      <div class="radios radios-inline">
        <div class="radio"><input class="radio-input" type="radio" id="${id}-left" name="${id}-leg" value="left" checked>
          <label class="radio-label" for="${id}-left">Left leg</label></div>
        <div class="radio"><input class="radio-input" type="radio" id="${id}-right" name="${id}-leg" value="right">
          <label class="radio-label" for="${id}-right">Right leg</label></div>
      </div>
    </fieldset>
    <div class="ka-check">
      <input type="checkbox" id="${id}-mirrored" data-mirrored aria-describedby="${id}-mirrored-hint">
      <label for="${id}-mirrored">The picture is mirrored</label>
      <p class="hint" id="${id}-mirrored-hint">Facing the camera, your left leg shows on the right
        of the picture. If it shows on the left, as in some selfie videos, tick this.</p>
    </div>
    <div class="ka-pick">
      <button type="button" class="button button-secondary" data-pick="record">Record a video</button>
      <button type="button" class="button button-secondary" data-pick="choose">Choose a video or photo</button>
      <input type="file" accept="video/*,image/*" capture="environment" hidden data-file="record">
      <input type="file" accept="video/*,image/*" hidden data-file="choose">
    </div>
    <p class="ka-status" role="status" data-status></p>
    <div class="ka-work" hidden data-work>
      <div class="ka-scrub" data-scrub>
        <label class="label" for="${id}-time">Find the lowest point of the squat</label>
        <input class="ka-range" type="range" id="${id}-time" min="0" max="1" step="any" value="0" data-time aria-describedby="${id}-time-now">
        <div class="ka-steps">
          <button type="button" class="button button-secondary" data-step="-1">Back 1 frame</button>
          <button type="button" class="button button-secondary" data-step="1">Forward 1 frame</button>
          <output class="ka-now" id="${id}-time-now" data-now>0.00 s</output>
        </div>
      </div>
      <p class="hint" id="${id}-how">Tap the picture to put the selected point there, or drag a
        point. With a keyboard, move to a point with Tab and move it with the arrow keys; hold
        Shift for bigger steps. Put the hip point on ${POINT_WHERE.hip}, the knee point on
        ${POINT_WHERE.knee} and the ankle point on ${POINT_WHERE.ankle}.</p>
      <div class="ka-stage" data-stage>
        <canvas class="ka-canvas" role="img" aria-label="The frame with your points and the knee angle" data-canvas></canvas>
        ${POINTS.map(
          (p) => html`<button type="button" class="ka-handle ka-handle-${p}" data-point="${p}"
            aria-describedby="${id}-how" data-unplaced><span aria-hidden="true">${POINT_NAMES[p][0]}</span></button>`,
        ).join("")}
        <canvas class="ka-loupe" width="132" height="132" aria-hidden="true" hidden data-loupe></canvas>
      </div>
      <p class="ka-next" data-next></p>
      <p class="ka-angle" role="status" aria-live="polite" data-angle>Place the three points to see the angle.</p>
      <button type="button" class="button" data-keep disabled>Keep this squat</button>
    </div>
    <section class="ka-results" aria-labelledby="${id}-results">
      <h3 class="ka-heading" id="${id}-results">Your measured squats</h3>
      <p class="hint">Measure ${TRIALS_PER_LEG} squats on each leg; we use the average.</p>
      <div class="ka-legs" data-trials></div>
      <p class="ka-summary" data-summary></p>
      <button type="button" class="button" data-apply disabled>Put these results in my answers</button>
      <p class="ka-applied" role="status" data-applied></p>
      <div data-reference></div>
      <h3 class="ka-heading">How exact is this?</h3>
      <p>This measures the angle on a flat picture. It is a 2D view of the knee, not the true 3D
        movement, and where the camera stands changes it. Two careful measurements of the same
        squat can still differ: a change of less than ${MEASUREMENT_ERROR_DEGREES} degrees
        between two checks is within measurement error and may not be a real change (Munro and
        colleagues, 2012). Film from the front, at knee height, the same way each time.</p>
    </section>
    <div class="ka-suggest" data-suggest-box hidden>
      <h3 class="ka-heading">Let the phone suggest the points</h3>
      <p>A body-tracking model can find the lowest frame and suggest the three points. It runs on
        this phone: the first time, it downloads about 12 MB of model files from this site. Check
        and move the points yourself afterwards.</p>
      <button type="button" class="button button-secondary" data-suggest>Suggest the points</button>
      <p class="ka-status" role="status" data-suggest-status></p>
    </div>
  </div>`;
}

function referenceTable(sex) {
  const known = sex === "female" || sex === "male";
  const row = (key, name) => {
    const band = BANDS[key];
    const yours = (known ? sex === key : key === "female") ? ' class="ka-yours"' : "";
    return html`<tr${yours}><th scope="row">${name}</th><td>${band.slight - 1} or less</td>
      <td>${band.slight} to ${band.marked - 1}</td><td>${band.marked} or more</td></tr>`;
  };
  const note = known
    ? "Your row is highlighted."
    : "You did not tell us your sex, so we use the women's values, which call fewer knees inward.";
  return html`<table class="ka-table">
    <caption>Reference values for a single-leg squat, in degrees</caption>
    <thead><tr><th scope="col">Group</th><th scope="col">Usual</th><th scope="col">A little inward</th><th scope="col">A lot inward</th></tr></thead>
    <tbody>${row("female", "Women")}${row("male", "Men")}</tbody>
  </table>
  <p class="hint">${note} These bands come from studies of small groups of active young adults.
    They are working defaults for a physiotherapist to review, not proven limits.</p>`;
}

function describeAngle(degrees, leg) {
  const legName = leg === "left" ? "Left leg" : "Right leg";
  const whole = Math.round(degrees) + 0;
  if (whole === 0) return `${legName}: 0 degrees, the knee is in line.`;
  const way = whole > 0 ? "inward" : "outward";
  return `${legName}: ${Math.abs(whole)} degrees, the knee goes ${way}.`;
}

/** Open the tool inside `root` (the [data-knee-angle] box). Returns a handle for tests and bench/. */
export function mount(root) {
  const id = `ka${++counter}`;
  const options = {
    sex: root.dataset.sex || "",
    answer: root.dataset.answer || "fppa_degrees",
    left: root.dataset.left || "",
    right: root.dataset.right || "",
    kneeIn: root.dataset.kneeIn || "",
    vendor: root.dataset.vendor || "",
  };
  const body = root.querySelector("[data-knee-angle-body]") || root;
  body.insertAdjacentHTML("beforeend", template(id));
  const $ = (selector) => body.querySelector(selector);
  const $$ = (selector) => [...body.querySelectorAll(selector)];

  const canvas = $("[data-canvas]");
  const context = canvas.getContext("2d");
  const loupe = $("[data-loupe]");
  const stage = $("[data-stage]");
  const handles = Object.fromEntries($$("[data-point]").map((b) => [b.dataset.point, b]));
  const frame = document.createElement("canvas");
  const state = {
    points: {},
    selected: "hip",
    video: null,
    url: null,
    trials: { left: [], right: [] },
    angle: null,
    dragging: null,
  };

  const leg = () => $(`input[name="${id}-leg"]:checked`).value;
  const mirrored = () => $("[data-mirrored]").checked;
  const status = (text) => {
    $("[data-status]").textContent = text;
  };

  // --- the picture -----------------------------------------------------------------------------
  function sizeFrame(width, height) {
    const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(width, height));
    frame.width = canvas.width = Math.round(width * scale);
    frame.height = canvas.height = Math.round(height * scale);
  }

  function grab(source) {
    frame.getContext("2d").drawImage(source, 0, 0, frame.width, frame.height);
    draw();
  }

  function release() {
    if (state.url) URL.revokeObjectURL(state.url);
    state.url = null;
    if (state.video) state.video.removeAttribute("src");
    state.video = null;
  }

  async function open(file) {
    if (!file) return;
    release();
    status("Opening…");
    try {
      if (file.type.startsWith("image/")) {
        const bitmap = await createImageBitmap(file);
        sizeFrame(bitmap.width, bitmap.height);
        grab(bitmap);
        bitmap.close();
        $("[data-scrub]").hidden = true;
        status("Photo opened. Place the three points.");
      } else {
        await openVideo(file);
        $("[data-scrub]").hidden = false;
        status("Video opened. Move the slider to the lowest point of the squat, then place the three points.");
      }
    } catch (error) {
      release();
      status("This file could not be opened. Try another video or a photo, or record it again.");
      return;
    }
    resetPoints();
    $("[data-work]").hidden = false;
    $("[data-suggest-box]").hidden = !options.vendor;
    update();
  }

  function openVideo(file) {
    const video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    video.preload = "auto";
    state.url = URL.createObjectURL(file);
    state.video = video;
    return new Promise((resolve, reject) => {
      video.addEventListener("error", () => reject(new Error("video")), { once: true });
      video.addEventListener(
        "loadeddata",
        async () => {
          sizeFrame(video.videoWidth, video.videoHeight);
          const range = $("[data-time]");
          range.max = String(Number.isFinite(video.duration) ? video.duration : 0);
          range.value = "0";
          await seek(0);
          resolve();
        },
        { once: true },
      );
      // Some browsers (Safari on iPhone) fetch no frame until the video has played once.
      video.addEventListener(
        "loadedmetadata",
        () => {
          if (video.readyState < 2) video.play().then(() => video.pause(), () => {});
        },
        { once: true },
      );
      video.src = state.url;
    });
  }

  /**
   * Show the video at `time`. With `shown`, also wait until the browser has put that frame on
   * the page: "seeked" can come before it does (the likely reason one test run in Chromium, on a
   * busy machine, read the frame before), and the frame copied then is the old one. The body-tracking model asks for this, as it must read
   * the frame at each time it samples; the slider does not, so that it stays quick.
   */
  function seek(time, { shown = false } = {}) {
    const video = state.video;
    if (!video) return Promise.resolve();
    const target = Math.min(Math.max(0, time), Number($("[data-time]").max) || 0);
    return new Promise((resolve) => {
      const done = () => {
        grab(video);
        $("[data-time]").value = String(video.currentTime);
        $("[data-now]").textContent = `${video.currentTime.toFixed(2)} s`;
        resolve();
      };
      if (Math.abs(video.currentTime - target) < 1e-6 && video.readyState >= 2) {
        done();
        return;
      }
      const seeked = new Promise((ready) => video.addEventListener("seeked", ready, { once: true }));
      Promise.all([seeked, shown ? framePresented(video) : null]).then(done);
      video.currentTime = target;
    });
  }

  /** Resolves once the video's next frame is on the page, or after FRAME_WAIT_MS (a seek that
   * lands on the frame already shown presents none), or at once where browsers cannot tell. */
  function framePresented(video) {
    if (typeof video.requestVideoFrameCallback !== "function") return Promise.resolve();
    return new Promise((ready) => {
      const timer = setTimeout(ready, FRAME_WAIT_MS);
      video.requestVideoFrameCallback(() => {
        clearTimeout(timer);
        ready();
      });
    });
  }

  // --- the points ------------------------------------------------------------------------------
  function resetPoints() {
    state.points = {};
    const w = canvas.width;
    const h = canvas.height;
    // Until placed, the handles wait in a column at the side, clearly apart from the body.
    const start = { hip: 0.3, knee: 0.55, ankle: 0.8 };
    for (const p of POINTS) {
      handles[p].dataset.unplaced = "";
      position(p, { x: w * 0.08, y: h * start[p] });
    }
    select("hip");
  }

  function position(point, at) {
    handles[point].style.left = `${(100 * at.x) / canvas.width}%`;
    handles[point].style.top = `${(100 * at.y) / canvas.height}%`;
    handles[point].dataset.x = String(at.x);
    handles[point].dataset.y = String(at.y);
  }

  function place(point, at) {
    state.points[point] = at;
    delete handles[point].dataset.unplaced;
    position(point, at);
    update();
  }

  function select(point) {
    state.selected = point;
    for (const p of POINTS) handles[p].setAttribute("aria-pressed", String(p === point));
    update();
  }

  function nextUnplaced(after) {
    const order = [...POINTS.slice(POINTS.indexOf(after) + 1), ...POINTS];
    return order.find((p) => !state.points[p]) || after;
  }

  function toFrame(event) {
    const box = canvas.getBoundingClientRect();
    return {
      x: Math.min(canvas.width, Math.max(0, ((event.clientX - box.left) / box.width) * canvas.width)),
      y: Math.min(canvas.height, Math.max(0, ((event.clientY - box.top) / box.height) * canvas.height)),
    };
  }

  function handleLabel(point) {
    const at = state.points[point];
    const where = at
      ? `at ${Math.round((100 * at.x) / canvas.width)}% across and ${Math.round((100 * at.y) / canvas.height)}% down`
      : "not placed yet";
    return `${POINT_NAMES[point]} point, ${where}`;
  }

  // --- drawing ---------------------------------------------------------------------------------
  function draw() {
    context.drawImage(frame, 0, 0);
    const { hip, knee, ankle } = state.points;
    const unit = Math.max(2, canvas.width / 240);
    const line = (a, b, colour, width, dash = []) => {
      context.beginPath();
      context.setLineDash(dash);
      context.moveTo(a.x, a.y);
      context.lineTo(b.x, b.y);
      context.strokeStyle = colour;
      context.lineWidth = width;
      context.stroke();
      context.setLineDash([]);
    };
    if (hip && knee) {
      line(hip, knee, "#0b0c0c", unit * 2.2);
      line(hip, knee, "#ffdd00", unit);
    }
    if (knee && ankle) {
      line(knee, ankle, "#0b0c0c", unit * 2.2);
      line(knee, ankle, "#ffdd00", unit);
    }
    if (hip && knee && ankle && state.angle !== null) {
      // The thigh line carried on past the knee: a straight leg would follow it.
      const length = Math.hypot(ankle.x - knee.x, ankle.y - knee.y);
      const thigh = Math.hypot(knee.x - hip.x, knee.y - hip.y) || 1;
      const end = { x: knee.x + ((knee.x - hip.x) / thigh) * length, y: knee.y + ((knee.y - hip.y) / thigh) * length };
      line(knee, end, "#ffffff", unit, [unit * 3, unit * 2]);
      const text = `${Math.round(state.angle) + 0}°`;
      context.font = `bold ${Math.round(unit * 9)}px sans-serif`;
      context.lineWidth = unit * 1.5;
      context.strokeStyle = "#0b0c0c";
      context.fillStyle = "#ffffff";
      // Beside the knee handle (2.75rem wide on screen), on the side with more room.
      const perPixel = canvas.width / (canvas.getBoundingClientRect().width || canvas.width);
      const gap = 30 * perPixel;
      const width = context.measureText(text).width;
      const x = knee.x + gap + width < canvas.width ? knee.x + gap : knee.x - gap - width;
      context.textBaseline = "middle";
      context.strokeText(text, x, knee.y);
      context.fillText(text, x, knee.y);
    }
  }

  function showLoupe(point) {
    const at = state.points[point];
    if (!at) return;
    const size = loupe.width;
    const zoom = 3;
    const g = loupe.getContext("2d");
    // Scale from the frame's pixels to what the screen shows, then magnify.
    const shown = canvas.getBoundingClientRect().width || canvas.width;
    const span = (size / zoom) * (canvas.width / shown);
    g.fillStyle = "#0b0c0c";
    g.fillRect(0, 0, size, size);
    g.drawImage(canvas, at.x - span / 2, at.y - span / 2, span, span, 0, 0, size, size);
    g.strokeStyle = "#ffdd00";
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(size / 2, 0);
    g.lineTo(size / 2, size);
    g.moveTo(0, size / 2);
    g.lineTo(size, size / 2);
    g.stroke();
    loupe.classList.toggle("ka-loupe-right", at.x < canvas.width / 2);
    loupe.hidden = false;
  }

  // --- the result ------------------------------------------------------------------------------
  function update() {
    const { hip, knee, ankle } = state.points;
    state.angle = hip && knee && ankle ? fppa(state.points, { leg: leg(), mirrored: mirrored() }) : null;
    for (const p of POINTS) handles[p].setAttribute("aria-label", handleLabel(p));
    const next = POINTS.find((p) => !state.points[p]);
    $("[data-next]").textContent = next
      ? `Selected: ${POINT_NAMES[state.selected].toLowerCase()} point. Tap the picture to place it on ${POINT_WHERE[state.selected]}.`
      : "All three points are placed. Drag them, or select one and use the arrow keys, to adjust.";
    const angleText = $("[data-angle]");
    const keep = $("[data-keep]");
    keep.textContent = `Keep this squat for the ${leg()} leg`;
    if (!(hip && knee && ankle)) {
      angleText.textContent = "Place the three points to see the angle.";
      keep.disabled = true;
    } else if (state.angle === null) {
      angleText.textContent = "Two points are on top of each other. Move them apart.";
      keep.disabled = true;
    } else if (state.angle < ANSWER_MIN || state.angle > ANSWER_MAX) {
      angleText.textContent = `${Math.round(state.angle)} degrees is outside what a knee does in this test. Check the points.`;
      keep.disabled = true;
    } else {
      angleText.textContent = describeAngle(state.angle, leg());
      keep.disabled = state.trials[leg()].length >= TRIALS_PER_LEG;
      if (keep.disabled) keep.textContent = `You have kept ${TRIALS_PER_LEG} squats for the ${leg()} leg`;
    }
    if (frame.width) draw();
    showTrials();
  }

  function showTrials() {
    const legs = ["left", "right"]
      .map((side) => {
        const items = state.trials[side]
          .map(
            (d, i) => html`<li>${Math.round(d) + 0} degrees
              <button type="button" class="ka-remove" data-remove="${side}:${i}">Remove<span class="visually-hidden"> squat ${i + 1}, ${side} leg</span></button></li>`,
          )
          .join("");
        const name = side === "left" ? "Left leg" : "Right leg";
        return html`<div class="ka-leg"><h4 class="ka-leg-name">${name}</h4>${
          items ? `<ol class="ka-list">${items}</ol>` : '<p class="hint">None yet.</p>'
        }</div>`;
      })
      .join("");
    $("[data-trials]").innerHTML = legs;
    const result = summarise(state.trials, options.sex);
    const apply = $("[data-apply]");
    apply.disabled = result.worse === null || !result.inRange;
    const parts = [];
    if (result.left !== null) parts.push(`Left leg average: ${result.left} degrees.`);
    if (result.right !== null) parts.push(`Right leg average: ${result.right} degrees.`);
    if (result.worse !== null) {
      parts.push(`Worse side: ${result.worseLeg} leg, ${result.worse} degrees, knee inward ${KNEE_IN_WORDS[result.kneeIn]}.`);
    }
    if (result.asymmetric) {
      parts.push(`Your legs differ by ${MEASUREMENT_ERROR_DEGREES} degrees or more, more than measurement error.`);
    }
    $("[data-summary]").textContent = parts.join(" ");
    state.summary = result;
  }

  function setNumber(name, value) {
    const input = name && document.querySelector(`main form input[name="${name}"]`);
    if (!input || value === null) return false;
    input.value = String(value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function applyResults() {
    const result = state.summary;
    if (!result || result.worse === null) return;
    setNumber(options.answer, result.worse);
    setNumber(options.left, result.left);
    setNumber(options.right, result.right);
    let said = `Put in your answers: knee angle ${result.worse} degrees (${result.worseLeg} leg, the worse side)`;
    const radio =
      options.kneeIn && document.querySelector(`main form input[name="${options.kneeIn}"][value="${result.kneeIn}"]`);
    if (radio) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
      said += `, and "${KNEE_IN_WORDS[result.kneeIn]}" for how far your knee moves inside your big toe`;
    }
    $("[data-applied]").textContent = `${said}. Check them below; you can still change them.`;
  }

  // --- events ----------------------------------------------------------------------------------
  for (const button of $$("[data-pick]")) {
    button.addEventListener("click", () => $(`[data-file="${button.dataset.pick}"]`).click());
  }
  for (const input of $$("[data-file]")) {
    input.addEventListener("change", () => {
      open(input.files[0]);
      // The file object is not needed once drawn; clearing also lets the same file be picked again.
      input.value = "";
    });
  }
  $$(`input[name="${id}-leg"]`).forEach((r) => r.addEventListener("change", update));
  $("[data-mirrored]").addEventListener("change", update);

  let seeking = Promise.resolve();
  $("[data-time]").addEventListener("input", (event) => {
    const time = Number(event.target.value);
    seeking = seeking.then(() => seek(time));
  });
  for (const button of $$("[data-step]")) {
    button.addEventListener("click", () => {
      const step = Number(button.dataset.step) * FRAME_SECONDS;
      seeking = seeking.then(() => seek((state.video ? state.video.currentTime : 0) + step));
    });
  }

  canvas.addEventListener("click", (event) => {
    const point = state.selected;
    place(point, toFrame(event));
    select(nextUnplaced(point));
  });

  for (const point of POINTS) {
    const handle = handles[point];
    handle.addEventListener("focus", () => select(point));
    handle.addEventListener("click", () => select(point));
    handle.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      handle.focus();
      select(point);
      state.dragging = point;
      handle.setPointerCapture(event.pointerId);
    });
    handle.addEventListener("pointermove", (event) => {
      if (state.dragging !== point) return;
      place(point, toFrame(event));
      showLoupe(point);
    });
    const stop = () => {
      state.dragging = null;
      loupe.hidden = true;
    };
    handle.addEventListener("pointerup", stop);
    handle.addEventListener("pointercancel", stop);
    handle.addEventListener("blur", () => {
      loupe.hidden = true;
    });
    handle.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      const step = Math.max(1, Math.round(canvas.width / 300)) * (event.shiftKey ? 10 : 1);
      const from = state.points[point] || { x: Number(handle.dataset.x), y: Number(handle.dataset.y) };
      place(point, nudge(from, move[0] * step, move[1] * step, canvas.width, canvas.height));
      showLoupe(point);
    });
  }

  $("[data-keep]").addEventListener("click", () => {
    const side = leg();
    if (state.angle === null || state.trials[side].length >= TRIALS_PER_LEG) return;
    state.trials[side].push(state.angle);
    $("[data-angle]").textContent = `Kept: ${describeAngle(state.angle, side)} Squat ${state.trials[side].length} of ${TRIALS_PER_LEG} for this leg.`;
    update();
  });
  $("[data-trials]").addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove]");
    if (!button) return;
    const [side, index] = button.dataset.remove.split(":");
    state.trials[side].splice(Number(index), 1);
    update();
    $("[data-apply]").focus();
  });
  $("[data-apply]").addEventListener("click", applyResults);
  $("[data-reference]").innerHTML = referenceTable(options.sex);

  $("[data-suggest]").addEventListener("click", () => suggest());
  // htmx swaps the next page in without unloading this one: let the video go with the tool.
  document.addEventListener("htmx:beforeSwap", release, { once: true });

  async function suggest() {
    const say = (text) => {
      $("[data-suggest-status]").textContent = text;
    };
    const button = $("[data-suggest]");
    button.disabled = true;
    const started = performance.now();
    try {
      say("Loading the body-tracking model on this phone…");
      const { loadPose } = await import("./knee-angle-pose.js");
      const model = await loadPose(options.vendor);
      say("Looking for the lowest point of the squat…");
      const side = leg();
      if (state.video) {
        const seekShown = (time) => seek(time, { shown: true });
        const time = await model.deepest(state.video, seekShown, frame, { leg: side, mirrored: mirrored(), duration: Number($("[data-time]").max) });
        if (time !== null) await seekShown(time);
      }
      const found = await model.points(frame, { leg: side, mirrored: mirrored() });
      if (!found) {
        say("No body was found in this frame. Place the points yourself.");
        return;
      }
      for (const p of POINTS) place(p, { x: found[p].x * canvas.width, y: found[p].y * canvas.height });
      select("hip");
      state.suggestedMs = performance.now() - started;
      say("Points suggested. Check each one and move it if it is not quite right, then keep the squat.");
    } catch (error) {
      say("The body-tracking model could not be loaded on this device. You can still place the points yourself.");
    } finally {
      button.disabled = false;
    }
  }

  return { state, suggest, seek, id };
}
