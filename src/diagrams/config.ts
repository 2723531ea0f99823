/**
 * How diagrams are drawn: a light theme matching the site's palette and mermaid's dark theme,
 * labels as SVG text (not HTML in foreignObject) so they stay searchable and valid in EPUB.
 * Note: this object is part of the cache key; changing it re-renders every diagram.
 */
export const diagramConfig = {
  fontFamily: '"Noto Sans", "Helvetica Neue", Arial, sans-serif',
  /** Compact layouts: diagrams are scaled to the reading column, so less air means larger text. */
  flowchart: { nodeSpacing: 28, rankSpacing: 36, padding: 10, diagramPadding: 6, wrappingWidth: 160 },
  sequence: { actorMargin: 24, messageMargin: 30, boxMargin: 6, noteMargin: 8, width: 120, height: 40, mirrorActors: false, diagramMarginX: 8, diagramMarginY: 8 },
  light: {
    theme: 'base',
    themeVariables: {
      primaryColor: '#e9eefc',
      primaryBorderColor: '#2f54c7',
      primaryTextColor: '#1f2328',
      secondaryColor: '#f3f2ef',
      tertiaryColor: '#ffffff',
      lineColor: '#4b5260',
      textColor: '#1f2328',
      noteBkgColor: '#fff3bf',
      noteBorderColor: '#b08800',
      noteTextColor: '#1f2328',
      actorBkg: '#e9eefc',
      actorBorder: '#2f54c7',
      signalColor: '#1f2328',
      signalTextColor: '#1f2328',
      labelBackground: '#ffffff',
    },
  },
  dark: { theme: 'dark', themeVariables: {} },
} as const;
