import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, XAxis, YAxis } from "recharts";

export type ProgressPoint = { period: string; learned: number; sessions: number; ratings: number };

/**
 * Cards learned (a line, cumulative) and sittings (bars) over time. The picture is one image with a
 * spoken summary (role="img" + aria-label); the same numbers are always available as a table with a
 * caption, behind "Show as table" (a native <details>, so it works without JavaScript too).
 * Recharts draws in the browser only; the summary and the table are in the server's HTML.
 */
export function ProgressChart({ series, bucket }: { series: ProgressPoint[]; bucket: "day" | "week" }) {
  const { t, i18n } = useTranslation("practice");
  const [client, setClient] = useState(false);
  useEffect(() => setClient(true), []);
  // Time runs toward the reading direction: in Arabic the first day is at the right, and the axes swap.
  const rtl = i18n.dir(i18n.language) === "rtl";
  const fmt = new Intl.DateTimeFormat(i18n.language, { day: "numeric", month: "short", timeZone: "UTC" });
  const label = (p: string) => fmt.format(new Date(`${p}T00:00:00Z`));
  const rows = series.map((p) => ({ ...p, label: label(p.period) }));
  const last = series.at(-1);
  const summary = t("progress.chartLabel", {
    from: label(series[0]!.period),
    to: label(last!.period),
    learned: last!.learned,
    sessions: series.reduce((n, p) => n + p.sessions, 0),
    ratings: series.reduce((n, p) => n + p.ratings, 0),
  });
  return (
    <div className="progress-figure">
      <div role="img" aria-label={summary} className="progress-chart">
        {client ? (
          <ComposedChart
            responsive
            data={rows}
            accessibilityLayer={false}
            style={{ width: "100%", aspectRatio: 2.2, maxHeight: "24rem" }}
            margin={{ top: 16, right: rtl ? 0 : 8, bottom: 8, left: rtl ? 8 : 0 }}
          >
            <CartesianGrid stroke="#d0d0d0" strokeDasharray="4 4" />
            <XAxis dataKey="label" tick={{ fill: "#333333" }} minTickGap={16} reversed={rtl} />
            <YAxis yAxisId="learned" orientation={rtl ? "right" : "left"} allowDecimals={false} tick={{ fill: "#333333" }} />
            <YAxis yAxisId="sessions" orientation={rtl ? "left" : "right"} allowDecimals={false} tick={{ fill: "#333333" }} />
            <Bar
              yAxisId="sessions"
              dataKey="sessions"
              name={t("progress.sessionsSeries")}
              fill="#b45309"
              isAnimationActive={false}
              barSize={18}
            />
            <Line
              yAxisId="learned"
              dataKey="learned"
              name={t("progress.learnedSeries")}
              stroke="#1d4ed8"
              strokeWidth={3}
              dot={{ r: 4 }}
              isAnimationActive={false}
              type="monotone"
            />
            <Legend />
          </ComposedChart>
        ) : null}
      </div>
      <details className="progress-table">
        <summary>{t("progress.showTable")}</summary>
        <table>
          <caption>{bucket === "day" ? t("progress.tableCaptionDay") : t("progress.tableCaptionWeek")}</caption>
          <thead>
            <tr>
              <th scope="col">{bucket === "day" ? t("progress.day") : t("progress.week")}</th>
              <th scope="col">{t("progress.learnedSeries")}</th>
              <th scope="col">{t("progress.sessionsSeries")}</th>
              <th scope="col">{t("progress.ratingsSeries")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.period}>
                <th scope="row">
                  <time dateTime={r.period}>{r.label}</time>
                </th>
                <td>{r.learned}</td>
                <td>{r.sessions}</td>
                <td>{r.ratings}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
