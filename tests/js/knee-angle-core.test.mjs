// Node's built-in test runner on the module the browser loads: `node --test tests/js/`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  BANDS,
  deepestTime,
  fppa,
  kneeInward,
  nudge,
  summarise,
} from "../../static/questionnaire/knee-angle.js";

const RAD = Math.PI / 180;

// A leg in the picture: hip above the knee, the shin turned by `degrees` from the thigh line,
// the knee pushed towards +x (the picture's right) when `towardsRight`.
function leg(degrees, { towardsRight = true, thigh = 200, shin = 180, tilt = 0 } = {}) {
  const hip = { x: 300, y: 100 };
  const thighAngle = (90 + tilt) * RAD;
  const knee = { x: hip.x + thigh * Math.cos(thighAngle), y: hip.y + thigh * Math.sin(thighAngle) };
  // Turning the shin back towards -x puts the knee on the +x side of the hip-ankle line.
  const turn = (towardsRight ? 1 : -1) * degrees * RAD;
  const shinAngle = thighAngle + turn;
  const ankle = { x: knee.x + shin * Math.cos(shinAngle), y: knee.y + shin * Math.sin(shinAngle) };
  return { hip, knee, ankle };
}

function close(actual, expected, tolerance = 0.01) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

describe("fppa", () => {
  it("is 0 for a straight leg, on either leg, upright or leaning", () => {
    for (const side of ["left", "right"]) {
      assert.equal(fppa(leg(0), { leg: side }), 0);
      close(fppa(leg(0, { tilt: 12 }), { leg: side }), 0, 1e-9);
    }
  });

  it("measures known angles to a hundredth of a degree", () => {
    for (const degrees of [10, 20, 45, 7.5, 1]) {
      close(Math.abs(fppa(leg(degrees), { leg: "left" })), degrees);
      close(Math.abs(fppa(leg(degrees, { thigh: 37, shin: 420, tilt: -8 }), { leg: "right" })), degrees);
    }
  });

  it("is positive when the left knee goes inward: to the picture's left, facing the camera", () => {
    // Facing the camera, the left leg is on the right of the picture; its inside is to the left.
    close(fppa(leg(20, { towardsRight: false }), { leg: "left" }), 20);
    close(fppa(leg(20, { towardsRight: true }), { leg: "left" }), -20);
  });

  it("is positive when the right knee goes inward: to the picture's right", () => {
    close(fppa(leg(20, { towardsRight: true }), { leg: "right" }), 20);
    close(fppa(leg(20, { towardsRight: false }), { leg: "right" }), -20);
  });

  it("swaps inward and outward in a mirrored picture", () => {
    close(fppa(leg(15, { towardsRight: true }), { leg: "left", mirrored: true }), 15);
    close(fppa(leg(15, { towardsRight: true }), { leg: "right", mirrored: true }), -15);
  });

  it("uses the labels, not the order the points were placed in", () => {
    const points = leg(17, { towardsRight: false });
    const expected = fppa(points, { leg: "left" });
    const names = ["hip", "knee", "ankle"];
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const order of orders) {
      const placed = {};
      for (const i of order) placed[names[i]] = { ...points[names[i]] };
      assert.deepEqual(Object.keys(placed), order.map((i) => names[i]));
      assert.equal(fppa(placed, { leg: "left" }), expected);
    }
    close(expected, 17);
  });

  it("gives no angle for coincident or missing points", () => {
    const { hip, knee, ankle } = leg(10);
    assert.equal(fppa({ hip, knee: { ...hip }, ankle }, { leg: "left" }), null);
    assert.equal(fppa({ hip, knee, ankle: { x: knee.x + 1, y: knee.y } }, { leg: "left" }), null);
    assert.equal(fppa({ hip: knee, knee, ankle: knee }, { leg: "right" }), null);
    assert.equal(fppa({ hip, knee }, { leg: "left" }), null);
    assert.equal(fppa({ hip, knee: { x: NaN, y: 3 }, ankle }, { leg: "left" }), null);
  });

  it("refuses to guess the leg", () => {
    assert.throws(() => fppa(leg(10), {}), TypeError);
    assert.throws(() => fppa(leg(10), { leg: "both" }), TypeError);
  });

  it("does not depend on the picture's scale", () => {
    const points = leg(23, { towardsRight: false });
    const scaled = Object.fromEntries(Object.entries(points).map(([k, p]) => [k, { x: p.x * 3.7, y: p.y * 3.7 }]));
    close(fppa(scaled, { leg: "left" }), fppa(points, { leg: "left" }), 1e-9);
  });
});

describe("kneeInward", () => {
  it("uses the women's bands: 13 slight, 17 marked", () => {
    assert.deepEqual([12.9, 13, 16.9, 17, -5].map((d) => kneeInward(d, "female")), ["none", "slight", "slight", "marked", "none"]);
  });

  it("uses the men's bands: 10 slight, 15 marked", () => {
    assert.deepEqual([9, 10, 14, 15].map((d) => kneeInward(d, "male")), ["none", "slight", "slight", "marked"]);
  });

  it("uses the higher, women's bands when the sex is not known", () => {
    for (const sex of [undefined, "", "other", "prefer_not_to_say"]) {
      assert.equal(kneeInward(12, sex), "none");
      assert.equal(kneeInward(16, sex), "slight");
    }
    assert.ok(BANDS.female.slight > BANDS.male.slight);
  });
});

describe("summarise", () => {
  it("averages each leg and reports the worse, more inward one", () => {
    const result = summarise({ left: [10, 12, 14], right: [18, 19, 20] }, "female");
    assert.deepEqual(
      { left: result.left, right: result.right, worseLeg: result.worseLeg, worse: result.worse, kneeIn: result.kneeIn },
      { left: 12, right: 19, worseLeg: "right", worse: 19, kneeIn: "marked" },
    );
    assert.equal(result.asymmetric, false);
  });

  it("rounds to whole degrees before choosing the band, as the answer is stored", () => {
    // 12.67 is stored as 13, which the engine counts as above the women's normal band.
    const result = summarise({ left: [12, 13, 13], right: [] }, "female");
    assert.equal(result.worse, 13);
    assert.equal(result.kneeIn, "slight");
    assert.equal(result.right, null);
  });

  it("works with one leg measured, and with none", () => {
    assert.equal(summarise({ left: [], right: [4] }, "male").worseLeg, "right");
    const empty = summarise({ left: [], right: [] }, "male");
    assert.equal(empty.worse, null);
    assert.equal(empty.kneeIn, null);
  });

  it("treats an outward knee as the better side", () => {
    const result = summarise({ left: [-8], right: [2] }, "male");
    assert.equal(result.worseLeg, "right");
    assert.equal(result.left, -8);
  });

  it("flags a difference between legs beyond measurement error", () => {
    assert.equal(summarise({ left: [2], right: [11] }, "male").asymmetric, true);
    assert.equal(summarise({ left: [2], right: [10] }, "male").asymmetric, false);
  });

  it("says when the average is outside what the question accepts", () => {
    assert.equal(summarise({ left: [75], right: [] }, "female").inRange, false);
    assert.equal(summarise({ left: [60], right: [] }, "female").inRange, true);
  });
});

describe("deepestTime", () => {
  it("picks the frame with the lowest hip and knee, skipping frames without a body", () => {
    const samples = [
      { time: 0, hipY: 100, kneeY: 300 },
      { time: 0.5, hipY: 160, kneeY: 320 },
      { time: 1, hipY: null, kneeY: null },
      { time: 1.5, hipY: 120, kneeY: 305 },
    ];
    assert.equal(deepestTime(samples), 0.5);
    assert.equal(deepestTime([{ time: 0, hipY: null, kneeY: 1 }]), null);
    assert.equal(deepestTime([]), null);
  });
});

describe("nudge", () => {
  it("moves a point and keeps it inside the frame", () => {
    assert.deepEqual(nudge({ x: 5, y: 5 }, -10, 3, 100, 50), { x: 0, y: 8 });
    assert.deepEqual(nudge({ x: 95, y: 48 }, 10, 10, 100, 50), { x: 100, y: 50 });
  });
});
