import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { RadioChoice } from "~/components/ui/Choice";
import { FormAlert } from "~/components/ui/FormAlert";
import { TextField } from "~/components/ui/TextField";
import { decodeImport, type ImportWarningKey } from "~/lib/import-encoding";
import { parseImport, type ImportIssue } from "~/lib/import-format";
import { titleFor } from "~/lib/meta";
import { getImportJob, runningImportJob, startImportJob } from "~/services/import-jobs.server";
import { signedIn } from "~/services/request.server";
import { i18nFor } from "~/i18n";
import { withParams } from "~/lib/error-message";
import { LIMITS } from "~/lib/forms";
import { VISIBILITIES, type Visibility } from "../../db/enums";
import { SubmitButton } from "~/components/ui/SubmitButton";
import { readForm } from "~/services/form.server";

export const meta: MetaFunction = (args) => titleFor(args, "import.title");

const MAX_FILE = 5 * 1024 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await signedIn(request);
  const id = new URL(request.url).searchParams.get("job");
  const job = id ? await getImportJob(id, user) : null;
  if (id && !job) throw new Response("Not found", { status: 404 });
  return { job };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await signedIn(request);
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_FILE * 2)
    return data(
      {
        errors: { file: "import.errors.fileTooLarge" } as Record<string, string>,
        issues: [] as ImportIssue[],
        values: { board: "", visibility: "public" },
      },
      { status: 400 },
    );
  const form = await readForm(request);
  const values = { board: String(form.get("board") ?? ""), visibility: String(form.get("visibility") ?? "public") };
  const file = form.get("file");
  const errors: Record<string, string> = {};
  if (!(file instanceof File) || file.size === 0) errors.file = "import.errors.fileRequired";
  else if (file.size > MAX_FILE) errors.file = "import.errors.fileTooLarge";
  if (!(VISIBILITIES as readonly string[]).includes(values.visibility)) errors.visibility = "errors.choice";
  const boardLength = [...values.board.trim()].length;
  if (boardLength > LIMITS.boardTitle) errors.board = withParams("errors.tooLong", { max: LIMITS.boardTitle, length: boardLength });
  if (Object.keys(errors).length) return data({ errors, issues: [] as ImportIssue[], values }, { status: 400 });
  // One import at a time: say so rather than drop this file for the one still running.
  const busy = await runningImportJob(user.id);
  if (busy)
    return data(
      { errors: { file: "import.errors.busy" } as Record<string, string>, busyJob: busy, issues: [] as ImportIssue[], values },
      { status: 409 },
    );
  const upload = file as File;
  // The file's encoding is detected from its bytes (UTF-8, UTF-16, Windows-1252); a NUL refuses it.
  const decoded = decodeImport(new Uint8Array(await upload.arrayBuffer()));
  if (!decoded.ok)
    return data(
      { errors: { file: decoded.error } as Record<string, string>, errorLine: decoded.line, issues: [] as ImportIssue[], values },
      { status: 400 },
    );
  const format = /\.csv$/i.test(upload.name) ? "csv" : /\.jsonl?$/i.test(upload.name) ? "jsonl" : undefined;
  const { records, issues } = parseImport(decoded.text, format);
  if (!records.length)
    return data({ errors: { file: "import.errors.noRecords" } as Record<string, string>, issues, values }, { status: 400 });
  const job = await startImportJob(user, upload.name, records, issues, {
    defaultBoard: values.board.trim() || i18nFor(user.locale).t("import.defaultBoard"),
    visibility: values.visibility as Visibility,
    warnings: decoded.warnings,
  });
  return redirect(`/import?job=${job.id}`);
}

export default function ImportPage() {
  const { job } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  const nf = new Intl.NumberFormat(i18n.language);
  // While the import runs, ask the server for progress every second.
  useEffect(() => {
    if (job?.state !== "running") return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1000);
    return () => clearInterval(timer);
  }, [job?.state, revalidator]);
  const issues = job?.issues ?? actionData?.issues ?? [];
  return (
    <>
      <h1>{t("import.heading")}</h1>
      {job ? (
        <section aria-labelledby="job-h">
          <h2 id="job-h">{job.fileName}</h2>
          {job.warnings.map((w: ImportWarningKey) => (
            <p key={w} className="notice">
              {t(w)}
            </p>
          ))}
          <label htmlFor="import-progress">{t("import.progressLabel")}</label>
          <progress id="import-progress" max={job.total} value={job.done} className="progress" />
          <p role="status">
            {job.state === "running"
              ? t("import.running", { done: nf.format(job.done), total: nf.format(job.total) })
              : job.state === "done"
                ? t("import.done", { created: nf.format(job.created), skipped: nf.format(job.skipped), bad: nf.format(job.issues.length) })
                : t("import.failed")}
          </p>
          {job.state === "done" && job.boards.length ? (
            <ul>
              {job.boards.map((b) => (
                <li key={b.id}>
                  <Link to={`/boards/${b.id}`}>{t("import.openBoard", { title: b.title })}</Link>
                </li>
              ))}
            </ul>
          ) : null}
          <p className="standalone-link">
            <Link to="/import">{t("import.another")}</Link>
          </p>
        </section>
      ) : (
        <>
          <p className="lead">{t("import.intro")}</p>
          <Form method="post" encType="multipart/form-data" className="stack narrow" noValidate>
            <FormAlert errors={actionData?.errors} labels={{ board: "fields.importBoard" }} />
            <div className="field">
              <label htmlFor="field-file">
                {t("fields.file")} <span className="required">({t("form.required")})</span>
              </label>
              <input
                id="field-file"
                name="file"
                type="file"
                accept=".jsonl,.json,.csv,application/json,text/csv"
                aria-describedby={`file-hint${actionData?.errors?.file ? " file-error" : ""}`}
                aria-invalid={actionData?.errors?.file ? true : undefined}
              />
              <p id="file-hint" className="hint">
                {t("import.fileHint")}
              </p>
              {actionData?.errors?.file ? (
                <p id="file-error" className="field-error">
                  {actionData && "errorLine" in actionData ? `${t("import.line", { line: actionData.errorLine })}: ` : null}
                  {t(actionData.errors.file)}
                  {actionData && "busyJob" in actionData ? (
                    <>
                      {" "}
                      <Link to={`/import?job=${actionData.busyJob}`}>{t("import.seeRunning")}</Link>
                    </>
                  ) : null}
                </p>
              ) : null}
            </div>
            <TextField
              name="board"
              label={t("fields.importBoard")}
              description={t("import.boardHint")}
              limit={LIMITS.boardTitle}
              defaultValue={actionData?.values.board}
              error={actionData?.errors?.board}
            />
            <RadioChoice
              name="visibility"
              label={t("fields.visibility")}
              defaultValue={actionData?.values.visibility ?? "public"}
              options={VISIBILITIES.map((v) => ({ value: v, label: `${t(`visibility.${v}`)} — ${t(`visibility.${v}Hint`)}` }))}
              error={actionData?.errors?.visibility}
            />
            <SubmitButton busy={busy} className="button primary">
              {busy ? t("import.uploading") : t("import.submit")}
            </SubmitButton>
          </Form>
        </>
      )}
      {issues.length ? (
        <section aria-labelledby="issues-h">
          <h2 id="issues-h">{t("import.issuesHeading", { count: issues.length })}</h2>
          <ul className="issues">
            {issues.slice(0, 200).map((i, n) => (
              <li key={n}>
                {t("import.line", { line: i.line })}: {t(i.message)}
                {i.detail ? <span className="meta"> ({i.detail})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
