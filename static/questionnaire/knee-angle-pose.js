// Suggests the hip, knee and ankle points and the deepest frame with MediaPipe Pose (lite model),
// from the files vendored in static/vendor/mediapipe-pose/ (`make vendor`). Loaded by
// knee-angle.js only when the person asks for a suggestion. The frames go to the model inside
// this page (WebAssembly on the phone's processor); nothing leaves it.
import { deepestTime } from "./knee-angle-core.js";

// MediaPipe's landmark numbers, by the person's own left and right.
const LANDMARKS = {
  left: { hip: 23, knee: 25, ankle: 27 },
  right: { hip: 24, knee: 26, ankle: 28 },
};
// Below this, MediaPipe is guessing where a hidden joint is.
const MIN_VISIBILITY = 0.3;
// Frames looked at to find the deepest point: a first pass over the whole video, then a second
// around the best one.
const FIRST_PASS = 8;
const SECOND_PASS = 4;

let loading = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`Could not load ${src}`));
    document.head.append(script);
  });
}

/** The picture's side the model should read: a mirrored picture swaps the legs it sees. */
function modelLeg(leg, mirrored) {
  return mirrored ? (leg === "left" ? "right" : "left") : leg;
}

async function start(vendor) {
  if (!globalThis.Pose) await loadScript(`${vendor}pose.js`);
  const pose = new globalThis.Pose({ locateFile: (file) => `${vendor}${file}` });
  pose.setOptions({
    modelComplexity: 0,
    smoothLandmarks: false,
    enableSegmentation: false,
    selfieMode: false,
    minDetectionConfidence: 0.5,
  });
  let latest = null;
  pose.onResults((results) => {
    latest = results.poseLandmarks || null;
  });
  await pose.initialize();

  async function detect(image) {
    latest = null;
    // No pose.reset() between frames: it rebuilds the graph (seconds each time), and MediaPipe
    // finds the body afresh anyway when the last frame's region no longer fits.
    await pose.send({ image });
    return latest;
  }

  /** The three points of `leg` as fractions of the picture's width and height, or null. */
  async function points(image, { leg, mirrored = false }) {
    const found = await detect(image);
    if (!found) return null;
    const ids = LANDMARKS[modelLeg(leg, mirrored)];
    const result = {};
    for (const [name, index] of Object.entries(ids)) {
      const mark = found[index];
      if (!mark || (mark.visibility ?? 1) < MIN_VISIBILITY) return null;
      result[name] = { x: Math.min(1, Math.max(0, mark.x)), y: Math.min(1, Math.max(0, mark.y)) };
    }
    return result;
  }

  async function sample(times, seek, frame, options) {
    const samples = [];
    for (const time of times) {
      await seek(time);
      const found = await points(frame, options);
      samples.push({ time, hipY: found ? found.hip.y : null, kneeY: found ? found.knee.y : null });
    }
    return samples;
  }

  /** The time of the lowest hip and knee in the video, or null if no body was found. */
  async function deepest(video, seek, frame, { duration, ...options }) {
    if (!(duration > 0)) return null;
    const spread = (from, to, count) =>
      Array.from({ length: count }, (_, i) => from + ((to - from) * (i + 0.5)) / count);
    const first = await sample(spread(0, duration, FIRST_PASS), seek, frame, options);
    const rough = deepestTime(first);
    if (rough === null) return null;
    const step = duration / FIRST_PASS;
    const from = Math.max(0, rough - step);
    const second = await sample(spread(from, Math.min(duration, rough + step), SECOND_PASS), seek, frame, options);
    return deepestTime([...first, ...second]);
  }

  return { detect, points, deepest };
}

/** Load the model once per page; a failed load can be tried again. */
export function loadPose(vendor) {
  if (!vendor) return Promise.reject(new Error("No model files are configured."));
  if (!loading) {
    loading = start(vendor);
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
