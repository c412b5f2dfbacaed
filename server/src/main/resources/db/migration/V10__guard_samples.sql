-- What applications measured for flags under an active guard, as their SDKs report it: per
-- environment, flag, served variation (its index) and minute, how many evaluations served that
-- variation (exposures), and per tracked event name how many events were attributed to it, the sum
-- of their values and the sum of their squares (for means and variances). A report adds to the
-- minute's row (several SDK instances share a minute); the guards sum the minutes since their
-- release began. Flags are named by key, as SDKs know them; a report for a flag that is not
-- guarded is ignored. Expand only: older servers never read these tables.
CREATE TABLE guard_exposures (
    environment_id bigint      NOT NULL REFERENCES environments (id),
    flag_key       text        NOT NULL,
    variation      integer     NOT NULL CHECK (variation >= 0),
    minute         timestamptz NOT NULL,
    exposures      bigint      NOT NULL CHECK (exposures >= 0),
    PRIMARY KEY (environment_id, flag_key, variation, minute)
);

CREATE TABLE guard_events (
    environment_id   bigint           NOT NULL REFERENCES environments (id),
    flag_key         text             NOT NULL,
    variation        integer          NOT NULL CHECK (variation >= 0),
    event_name       text             NOT NULL,
    minute           timestamptz      NOT NULL,
    count            bigint           NOT NULL CHECK (count >= 0),
    value_sum        double precision NOT NULL,
    value_square_sum double precision NOT NULL CHECK (value_square_sum >= 0),
    PRIMARY KEY (environment_id, flag_key, variation, event_name, minute)
);
