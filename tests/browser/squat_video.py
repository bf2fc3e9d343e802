"""The stick-figure squat video the knee-angle browser test measures (tests/browser/data/).

A figure faces the camera and does one single-leg squat on the left leg (0 to 2 s), then one
on the right leg (2 to 4 s). At the bottom of each, the knee sits inward of the hip-ankle line
by a known angle, so the test knows what the tool must measure. Rebuild the video with
``python -m tests.browser.squat_video`` (needs Pillow and ffmpeg).
"""

from __future__ import annotations

import math
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

WIDTH, HEIGHT, FPS = 360, 640, 30
SECONDS_PER_SQUAT = 2
# Knee-inward angle at the bottom of the squat, in degrees, for each standing leg.
BOTTOM_ANGLE = {"left": 20.0, "right": 8.0}
VIDEO = Path(__file__).parent / "data" / "squat.webm"
SHIN = 170.0
THIGH = 170.0

Point = tuple[float, float]


def bottom_time(leg: str) -> float:
    """When the squat on `leg` is deepest, in seconds from the start."""
    return SECONDS_PER_SQUAT * (0.5 if leg == "left" else 1.5)


def joints(leg: str, depth: float) -> dict[str, Point]:
    """Hip, knee and ankle of the standing leg at `depth` (0 standing, 1 deepest), in pixels.

    Facing the camera, the left leg is on the right of the picture, and its inside is towards
    the picture's left; the right leg mirrors that. The shin and the thigh each lean by half
    the angle, so the angle between them is the knee-inward angle.
    """
    inward = -1 if leg == "left" else 1
    half = math.radians(BOTTOM_ANGLE[leg] * depth / 2)
    ankle = (WIDTH / 2 - inward * 40, HEIGHT - 60.0)
    # Bending forward shortens the thigh as the camera sees it.
    thigh = THIGH * (1 - 0.35 * depth)
    knee = (ankle[0] + inward * SHIN * math.sin(half), ankle[1] - SHIN * math.cos(half))
    hip = (knee[0] - inward * thigh * math.sin(half), knee[1] - thigh * math.cos(half))
    return {"hip": hip, "knee": knee, "ankle": ankle}


def _frame(index: int) -> tuple[str, float]:
    t = index / FPS
    leg = "left" if t < SECONDS_PER_SQUAT else "right"
    phase = (t % SECONDS_PER_SQUAT) / SECONDS_PER_SQUAT
    return leg, math.sin(math.pi * phase)


def _draw(leg: str, depth: float) -> Image.Image:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), (60, 64, 70))
    draw = ImageDraw.Draw(image)
    j = joints(leg, depth)
    inward = -1 if leg == "left" else 1
    hip, knee, ankle = j["hip"], j["knee"], j["ankle"]
    other_hip = (hip[0] + inward * 80, hip[1])
    pelvis_mid = ((hip[0] + other_hip[0]) / 2, hip[1])
    shoulders = (pelvis_mid[0], hip[1] - 190)
    white = (235, 235, 235)
    draw.line([hip, other_hip], fill=white, width=10)
    draw.line([pelvis_mid, shoulders], fill=white, width=12)
    draw.ellipse(
        [shoulders[0] - 28, shoulders[1] - 70, shoulders[0] + 28, shoulders[1] - 14], fill=white
    )
    for side in (-1, 1):
        elbow = (shoulders[0] + side * 45, shoulders[1] + 50)
        draw.line(
            [
                (shoulders[0], shoulders[1] + 10),
                elbow,
                (shoulders[0] - side * 10, shoulders[1] + 40),
            ],
            fill=white,
            width=8,
        )
    # The lifted leg, bent, foot off the floor.
    other_knee = (other_hip[0] + inward * 10, other_hip[1] + 120)
    draw.line(
        [other_hip, other_knee, (other_knee[0] + inward * 5, other_knee[1] + 90)],
        fill=white,
        width=14,
    )
    draw.line([hip, knee, ankle], fill=white, width=16, joint="curve")
    draw.line([ankle, (ankle[0] - inward * 30, ankle[1] + 10)], fill=white, width=12)
    for x, y in (hip, knee, ankle):
        draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill=(200, 40, 40))
    return image


def build(path: Path = VIDEO) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for index in range(FPS * SECONDS_PER_SQUAT * 2):
            _draw(*_frame(index)).save(Path(folder) / f"{index:04d}.png")
        subprocess.run(
            [
                "ffmpeg",
                "-loglevel",
                "error",
                "-y",
                "-framerate",
                str(FPS),
                "-i",
                f"{folder}/%04d.png",
                "-c:v",
                "libvpx",
                "-b:v",
                "250k",
                "-pix_fmt",
                "yuv420p",
                "-an",
                str(path),
            ],
            check=True,
        )


if __name__ == "__main__":
    build()
