#!/usr/bin/env python3
"""Generates hardware/pins.md and one wiring diagram (SVG) per sensor from the edge's default settings.

The pins live in one place, edge/HomeSignal.Edge/appsettings.json; this script draws from it so the table, the
diagrams and the kit's defaults cannot drift apart (a test in tests/HomeSignal.Edge.Tests checks pins.md).
Run: python3 hardware/wiring/generate.py
"""
import json
import os
from xml.sax.saxutils import escape

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SETTINGS = os.path.join(ROOT, "edge", "HomeSignal.Edge", "appsettings.json")
OUT_DIR = os.path.join(ROOT, "hardware", "wiring")
PINS_MD = os.path.join(ROOT, "hardware", "pins.md")

# BCM GPIO -> physical header pin (40-pin header, all Raspberry Pi models with 40 pins).
HEADER = {2: 3, 3: 5, 4: 7, 5: 29, 6: 31, 7: 26, 8: 24, 9: 21, 10: 19, 11: 23, 12: 32, 13: 33, 14: 8, 15: 10, 16: 36,
          17: 11, 18: 12, 19: 35, 20: 38, 21: 40, 22: 15, 23: 16, 24: 18, 25: 22, 26: 37, 27: 13}
# Nearest ground and supply pins on the header for each signal pin, so wires stay short and the table is practical.
GROUND_PINS = [6, 9, 14, 20, 25, 30, 34, 39]
PART = {
    "Door": "reed contact (surface-mount, e.g. MC-38), magnet on the door leaf",
    "MailboxFlap": "reed contact, magnet on the post flap",
    "MailboxDoor": "reed contact, magnet on the post-box lid or door",
    "Motion": "PIR module HC-SR501 (5 V supply, 3.3 V output)",
    "Button": "momentary push button (normally open), 'alles goed'",
}


def nearest_ground(header_pin):
    return min(GROUND_PINS, key=lambda g: abs(g - header_pin))


def wiring_for(sensor):
    kind = sensor["Kind"]
    pull = sensor.get("Pull", "Up")
    if kind == "Motion":
        return ["PIR VCC -> 5V (header pin 2 or 4)", "PIR GND -> GND", f"PIR OUT -> GPIO{sensor['Pin']}"]
    if kind == "Button":
        return [f"button leg 1 -> GPIO{sensor['Pin']}", "button leg 2 -> GND" if pull == "Up" else "button leg 2 -> 3V3"]
    other = "GND" if pull == "Up" else "3V3 (header pin 1 or 17)"
    return [f"reed wire 1 -> GPIO{sensor['Pin']}", f"reed wire 2 -> {other}"]


def meaning(sensor):
    kind = sensor["Kind"]
    if kind in ("Door", "MailboxFlap", "MailboxDoor"):
        contact = sensor.get("Contact", "NormallyOpen")
        pull = sensor.get("Pull", "Up")
        open_high = (contact == "NormallyOpen") == (pull == "Up")
        if "ActiveLevel" in sensor:
            open_high = sensor["ActiveLevel"] == "High"
        return f"open = {'high' if open_high else 'low'}"
    if kind == "Motion":
        return f"motion = {sensor.get('ActiveLevel', 'High').lower()}"
    return f"pressed = {sensor.get('ActiveLevel', 'Low').lower()}"


def svg_for(sensor):
    """A schematic-style drawing: Pi header block on the left, the sensor on the right, one line per wire."""
    pin = sensor["Pin"]
    header = HEADER[pin]
    gnd = nearest_ground(header)
    kind = sensor["Kind"]
    pull = sensor.get("Pull", "Up")
    w, h = 720, 300
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Arial, sans-serif" font-size="13">',
        f'<title>{escape(sensor["Id"])}: wiring</title>',
        '<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="20" y="28" font-size="16" font-weight="bold">{escape(sensor["Id"])} — {escape(PART[kind].split(",")[0].split(" (")[0])}</text>',
        f'<text x="20" y="48" fill="#555">room: {escape(sensor.get("Room", ""))}; purpose: {escape(sensor.get("Purpose", ""))}; {escape(meaning(sensor))}; internal pull-{pull.lower()}</text>',
        '<rect x="20" y="70" width="200" height="200" rx="8" fill="#1b5e20" stroke="#0d3311"/>',
        '<text x="120" y="92" text-anchor="middle" fill="#fff" font-weight="bold">Raspberry Pi header</text>',
    ]
    rows = []
    if kind == "Motion":
        rows = [("5V", 2, "#c62828", "VCC"), (f"GPIO{pin}", header, "#f9a825", "OUT"), ("GND", gnd, "#212121", "GND")]
        sensor_label = "HC-SR501 PIR"
    elif kind == "Button":
        rows = [(f"GPIO{pin}", header, "#f9a825", "leg 1"), ("GND" if pull == "Up" else "3V3", gnd if pull == "Up" else 1, "#212121" if pull == "Up" else "#c62828", "leg 2")]
        sensor_label = "push button (NO)"
    else:
        rows = [(f"GPIO{pin}", header, "#f9a825", "wire 1"), ("GND" if pull == "Up" else "3V3", gnd if pull == "Up" else 1, "#212121" if pull == "Up" else "#c62828", "wire 2")]
        sensor_label = "reed, " + ("normally open" if sensor.get("Contact", "NormallyOpen") == "NormallyOpen" else "normally closed")
    y0 = 130
    parts += [
        f'<rect x="500" y="{y0 - 30}" width="200" height="{len(rows) * 45 + 45}" rx="6" fill="#eceff1" stroke="#455a64"/>',
        f'<text x="600" y="{y0 - 10}" text-anchor="middle" font-weight="bold">{escape(sensor_label)}</text>',
    ]
    for i, (name, hp, colour, far) in enumerate(rows):
        y = y0 + i * 45
        parts += [
            f'<circle cx="210" cy="{y}" r="6" fill="#ffd54f" stroke="#000"/>',
            f'<text x="196" y="{y + 4}" text-anchor="end" fill="#fff">{escape(name)} (pin {hp})</text>',
            f'<line x1="216" y1="{y}" x2="500" y2="{y}" stroke="{colour}" stroke-width="4"/>',
            f'<circle cx="500" cy="{y}" r="5" fill="{colour}"/>',
            f'<text x="512" y="{y + 4}">{escape(far)}</text>',
        ]
    if kind in ("Door", "MailboxFlap", "MailboxDoor"):
        parts += [f'<rect x="570" y="{y0 + 62}" width="124" height="18" fill="#b0bec5" stroke="#455a64"/>',
                  f'<text x="632" y="{y0 + 75}" text-anchor="middle" font-size="11">magnet, gap ≤ 10 mm</text>']
    parts.append(f'<text x="20" y="{h - 8}" fill="#777" font-size="11">Generated by hardware/wiring/generate.py from edge/HomeSignal.Edge/appsettings.json</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    with open(SETTINGS, encoding="utf-8") as f:
        gpio = json.load(f)["Gpio"]
    lines = [
        "# Pin table (BCM numbering)",
        "",
        "Generated by `hardware/wiring/generate.py` from the kit's defaults in `edge/HomeSignal.Edge/appsettings.json`;",
        "a test checks that the two agree. Change pins in appsettings.json (or per kit in /etc/homesignal/edge.json), then re-run the script.",
        "",
        "| sensor id | part | BCM GPIO | header pin | pull | level meaning | wires | room | purpose | diagram |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in gpio["Sensors"]:
        name = f"{s['Id']}.svg"
        with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8") as f:
            f.write(svg_for(s))
        lines.append(
            f"| {s['Id']} | {PART[s['Kind']]} | {s['Pin']} | {HEADER[s['Pin']]} | {s.get('Pull', 'Up').lower()} | {meaning(s)} | "
            f"{'; '.join(wiring_for(s))} | {s.get('Room', '')} | {s.get('Purpose', '')} | [wiring/{name}](wiring/{name}) |")
    led = gpio.get("StatusLedPin")
    if led is not None:
        lines.append(f"| status-led | 5 mm LED + 330 Ω resistor | {led} | {HEADER[led]} | output | on = high | GPIO{led} -> 330 Ω -> LED anode; LED cathode -> GND | kit | status | — |")
    lines += ["", "Power: 5V on header pins 2 and 4, 3V3 on pins 1 and 17, GND on pins " + ", ".join(map(str, GROUND_PINS)) + ".", ""]
    with open(PINS_MD, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(f"wrote {PINS_MD} and {len(gpio['Sensors'])} diagrams in {OUT_DIR}")


if __name__ == "__main__":
    main()
