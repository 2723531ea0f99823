/** WCAG's contrast for body text; printed in greys, a colour keeps exactly this contrast. */
const minimumContrast = 4.5;

function channels(hex: string): [number, number, number] {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? [...digits].map((digit) => digit + digit).join('') : digits;
  return [0, 2, 4].map((at) => parseInt(full.slice(at, at + 2), 16)) as [number, number, number];
}

function luminance([red, green, blue]: [number, number, number]): number {
  const linear = (value: number): number => {
    const channel = value / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
}

/**
 * The WCAG contrast ratio of two colours.
 * @param foreground a #rgb or #rrggbb colour
 * @param background a #rgb or #rrggbb colour
 */
export function contrastRatio(foreground: string, background: string): number {
  const [lighter, darker] = [luminance(channels(foreground)), luminance(channels(background))].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/**
 * A colour readable on a light background: the colour itself when its contrast is at least 4.5:1,
 * else the same hue darkened just enough. Greyscale printing keeps luminance, so a colour that
 * passes stays readable in black and white.
 * @param colour a #rgb or #rrggbb colour
 * @param background the light background it sits on
 */
export function readableOn(colour: string, background: string): string {
  const rgb = channels(colour);
  for (let scale = 1; scale > 0; scale -= 0.02) {
    const candidate = `#${rgb
      .map((channel) =>
        Math.round(channel * scale)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`;
    if (contrastRatio(candidate, background) >= minimumContrast) return scale === 1 ? colour : candidate;
  }
  return '#000000';
}
