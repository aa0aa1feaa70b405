// A horizontal bar chart in inline SVG: no chart library, readable at any
// width, each bar labelled with its value (the colour is never the only cue).
export interface Bar { label: string; value: number; display?: string }

export function BarChart({ title, bars, max, testId }: { title: string; bars: Bar[]; max?: number; testId?: string }) {
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const row = 28;
  const height = Math.max(bars.length, 1) * row;
  return (
    <figure data-testid={testId}>
      <figcaption>{title}</figcaption>
      {bars.length === 0
        ? <p class="empty">Aucune donnée sur la période.</p>
        : (
          <svg role="img" aria-label={`${title} : ${bars.map((b) => `${b.label} ${b.display ?? b.value}`).join(', ')}`} viewBox={`0 0 400 ${height}`} width="100%" height={height}>
            {bars.map((b, i) => (
              <g key={b.label} transform={`translate(0 ${i * row})`}>
                <text x="0" y="18" font-size="13" fill="#373c44">{b.label}</text>
                <rect x="150" y="5" height="18" rx="2" width={Math.max(1, (b.value / top) * 190)} fill="#0172ad" />
                <text x={158 + (b.value / top) * 190} y="18" font-size="13" fill="#373c44">{b.display ?? String(b.value)}</text>
              </g>
            ))}
          </svg>
        )}
    </figure>
  );
}
