-- Failed sign-ins counted per client address and account, and per address (account ''), so that
-- guessing an account's password from one address never locks the right password out from
-- another. Replaces sign_in_failures (per email alone), which is no longer written; a later
-- release drops it.
CREATE TABLE sign_in_throttle (
    address      text        NOT NULL,
    account      text        NOT NULL,
    failures     integer     NOT NULL,
    window_start timestamptz NOT NULL,
    PRIMARY KEY (address, account)
);

CREATE INDEX sign_in_throttle_window_start ON sign_in_throttle (window_start);
