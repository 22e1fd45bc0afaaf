import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getPipeline } from "~/services/pipeline.server";
import { boardPdf, parsePrintOptions } from "~/services/print.server";
import { context, idParam } from "~/services/request.server";
import { shareKeyParam } from "~/services/access/visibility.server";

/**
 * /boards/:id/print.pdf?per=6&paper=a4&second=es — the board's cards as a PDF to print and cut out.
 * Bad parameters or an empty board go back to the print page, which explains; a private board of
 * someone else is a 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, user } = await context(request);
  const boardId = idParam(params.boardId);
  const url = new URL(request.url);
  const back = `/boards/${boardId}/print${url.search}`;
  const parsed = parsePrintOptions(url.searchParams);
  if (!parsed.ok) return redirect(back);
  const translator = parsed.options.second ? (await getPipeline()).translator : undefined;
  const result = await boardPdf(db, boardId, user, parsed.options, { translator, key: shareKeyParam(url) });
  if (!result.ok) return redirect(back);
  return new Response(new Uint8Array(result.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${result.filename}"`,
      "Content-Length": String(result.pdf.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
