-- Events the applications track through the SDK (DarklaunchClient.track), summed per environment,
-- event name and minute: how many and the sum of their values. SDKs report each minute's sums with
-- their evaluation counts; a report adds to the row (several SDK instances share a minute). Event
-- names are free text chosen by the application, not keys of anything here.
CREATE TABLE tracked_events (
    environment_id bigint           NOT NULL REFERENCES environments (id),
    minute         timestamptz      NOT NULL,
    event_name     text             NOT NULL,
    count          bigint           NOT NULL CHECK (count >= 0),
    value_sum      double precision NOT NULL,
    PRIMARY KEY (environment_id, minute, event_name)
);
