import { createContext, useContext } from "react";

/**
 * This request's CSP nonce (app/services/http/security-headers.ts makes it; entry.server.tsx provides it).
 * On the client it is "": browsers hide nonces from the DOM, and hydration does not re-run scripts.
 */
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
