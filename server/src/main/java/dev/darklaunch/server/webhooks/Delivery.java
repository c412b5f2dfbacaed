package dev.darklaunch.server.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.OffsetDateTime;

/**
 * One attempt to deliver one audit event to one webhook, for the delivery log. {@code deliveryId}
 * is the same for every attempt at the same event (receivers drop the repeats by it);
 * {@code status} is the receiver's HTTP status, {@code error} why no status came back (or why
 * it was not a success), {@code response} the start of the receiver's answer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Delivery(long id, String deliveryId, long event, String action, OffsetDateTime at, int attempt,
                       boolean redelivery, Integer status, String error, String response, long durationMillis,
                       boolean succeeded) {

    static String id(long webhook, long event) {
        return webhook + "." + event;
    }
}
