// The knee-angle tool's arithmetic: plain values in, plain values out, no DOM, so Node's test
// runner checks the very file the browser loads (tests/js/knee-angle-core.test.mjs).
//
// Frame coordinates: x to the right of the picture, y down, as a video frame or a canvas has them.

// The page's bands for the single-leg squat (questionnaire/data/findings.yaml, findings
// sls_valgus_present and sls_valgus_marked): "slight" from the first figure, "marked" from the
// second. Without a sex the content uses the female bands, so as not to over-call.
// tests/questionnaire/test_knee_angle_bands.py fails if the two drift apart.
export const BANDS = Object.freeze({
  female: Object.freeze({ slight: 13, marked: 17 }),
  male: Object.freeze({ slight: 10, marked: 15 }),
});

// A change smaller than this is within measurement error (plan content; Munro 2012's smallest
// detectable difference is 7.5 to 8.9 degrees).
export const MEASUREMENT_ERROR_DEGREES = 9;

// The range the fppa_degrees question accepts (questions.yaml).
export const ANSWER_MIN = -30;
export const ANSWER_MAX = 60;

export const TRIALS_PER_LEG = 3;

// Points closer than this (in frame pixels) cannot define a line.
const MIN_SEGMENT = 2;

function isPoint(p) {
  return p != null && Number.isFinite(p.x) && Number.isFinite(p.y);
}

/**
 * The frontal-plane projection angle in degrees, from the labelled hip, knee and ankle points.
 *
 * It is the angle between the thigh line (hip to knee) and the shin line (knee to ankle): 0 for a
 * straight leg, positive when the knee sits inward of the hip-to-ankle line (towards the body's
 * middle), negative when it sits outward. Which way is inward depends on the leg: facing the
 * camera, a person's left leg is on the right of the picture and its inside is to the left;
 * a mirrored picture (some selfie cameras) swaps that. Returns null when the points cannot give
 * an angle (missing, or two of them on top of each other).
 */
export function fppa({ hip, knee, ankle } = {}, { leg, mirrored = false } = {}) {
  if (leg !== "left" && leg !== "right") {
    throw new TypeError(`leg must be "left" or "right", not ${JSON.stringify(leg)}`);
  }
  if (!isPoint(hip) || !isPoint(knee) || !isPoint(ankle)) return null;
  const thigh = { x: knee.x - hip.x, y: knee.y - hip.y };
  const shin = { x: ankle.x - knee.x, y: ankle.y - knee.y };
  const thighLength = Math.hypot(thigh.x, thigh.y);
  const shinLength = Math.hypot(shin.x, shin.y);
  if (thighLength < MIN_SEGMENT || shinLength < MIN_SEGMENT) return null;
  const cross = thigh.x * shin.y - thigh.y * shin.x;
  const dot = thigh.x * shin.x + thigh.y * shin.y;
  const size = (Math.atan2(Math.abs(cross), dot) * 180) / Math.PI;
  if (size === 0) return 0;
  // Which side of the hip-to-ankle line the knee is on, as a left/right direction in the picture.
  const line = { x: ankle.x - hip.x, y: ankle.y - hip.y };
  const lineLength2 = line.x * line.x + line.y * line.y;
  const along = lineLength2 ? ((knee.x - hip.x) * line.x + (knee.y - hip.y) * line.y) / lineLength2 : 0;
  const offsetX = knee.x - (hip.x + along * line.x);
  const inwardX = (leg === "left") !== mirrored ? -1 : 1;
  if (offsetX === 0) {
    // Knee level with the line's ends in x (a leg lying flat): no inward or outward to speak of.
    return size;
  }
  return Math.sign(offsetX) === inwardX ? size : -size;
}

/** The page's knee-inward answer for an angle: "none", "slight" or "marked". */
export function kneeInward(degrees, sex) {
  const band = sex === "male" ? BANDS.male : BANDS.female;
  if (degrees >= band.marked) return "marked";
  if (degrees >= band.slight) return "slight";
  return "none";
}

export function mean(values) {
  if (!values.length) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** A whole number of degrees, as the question takes it; -0 shows as 0. */
export function wholeDegrees(value) {
  return Math.round(value) + 0;
}

/**
 * Both legs' averages and the worse side (the larger angle, more inward), in whole degrees.
 * trials: { left: [degrees...], right: [degrees...] }.
 */
export function summarise(trials, sex) {
  const left = trials.left.length ? wholeDegrees(mean(trials.left)) : null;
  const right = trials.right.length ? wholeDegrees(mean(trials.right)) : null;
  let worseLeg = null;
  if (left !== null && (right === null || left >= right)) worseLeg = "left";
  if (right !== null && (left === null || right > left)) worseLeg = "right";
  const worse = worseLeg === null ? null : worseLeg === "left" ? left : right;
  const difference = left !== null && right !== null ? Math.abs(left - right) : null;
  return {
    left,
    right,
    worseLeg,
    worse,
    kneeIn: worse === null ? null : kneeInward(worse, sex),
    inRange: worse === null || (worse >= ANSWER_MIN && worse <= ANSWER_MAX),
    asymmetric: difference !== null && difference >= MEASUREMENT_ERROR_DEGREES,
  };
}

/**
 * The deepest moment of a squat among sampled frames: the one where the hip and knee of the
 * standing leg are lowest in the picture (largest y). samples: [{ time, hipY, kneeY }], with
 * null coordinates where no body was found. Returns the time, or null if no frame had a body.
 */
export function deepestTime(samples) {
  let best = null;
  for (const s of samples) {
    if (!Number.isFinite(s.hipY) || !Number.isFinite(s.kneeY)) continue;
    const depth = s.hipY + s.kneeY;
    if (best === null || depth > best.depth) best = { time: s.time, depth };
  }
  return best === null ? null : best.time;
}

/** Move a point by a step in frame pixels, kept inside the frame. */
export function nudge(point, dx, dy, width, height) {
  return {
    x: Math.min(width, Math.max(0, point.x + dx)),
    y: Math.min(height, Math.max(0, point.y + dy)),
  };
}
