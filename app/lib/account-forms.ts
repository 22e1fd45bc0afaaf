import { z } from "zod";
import { email } from "./forms";

/**
 * Forms of the account pages (issue 12). Error messages are i18n keys: "errors.*" from common,
 * "accounts:errors.*" from the accounts namespace.
 */
const newPassword = z.string({ required_error: "errors.required" }).min(10, "errors.passwordShort").max(200, "errors.tooLong");
const givenPassword = z.string({ required_error: "errors.required" }).min(1, "errors.required").max(200, "errors.tooLong");

export const changePasswordSchema = z
  .object({ currentPassword: givenPassword, newPassword })
  .refine((v) => v.currentPassword !== v.newPassword, { path: ["newPassword"], message: "accounts:errors.samePassword" });

export const deleteAccountSchema = z.object({ password: givenPassword });

export const forgotPasswordSchema = z.object({ email });

export const resetPasswordSchema = z.object({ newPassword });
