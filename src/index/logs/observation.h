// A log record as STIX observed data, so that a candidate indicator found by value look-up can be
// checked with its full pattern (pattern/matcher.h). Only called for candidates: it allocates.
//
// The record becomes one STIX 2.1 observed-data (number_observed 1; first_observed = last_observed
// = the record's time, else `now`) whose object_refs list:
//  - ipv4-addr / ipv6-addr, domain-name, url, email-addr: one per observable;
//  - file: one holding every hash of the record in "hashes" (MD5, SHA-1, SHA-256, SHA-512);
//  - network-traffic, when the record has a flow address: src_ref / dst_ref (the address SCOs),
//    src_port / dst_port where known, protocols = the IP version ("ipv4"/"ipv6"), the transport
//    ("tcp") and the application protocols (EVE app_proto, Zeek service), in lower case;
//  - a DNS record's queried name gets resolves_to_refs to the addresses and names answered.
// Values are normalised as the index normalises them (index::normalise(); unchanged when it
// refuses one). SCO ids are the STIX deterministic ids of their values ({"value": …} or
// {"hashes": …}, UUIDv5); the observed-data and network-traffic ids are UUIDv5 of the record, so
// building the same record twice gives the same text.
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "core/result.h"
#include "core/time.h"
#include "index/logs/reader.h"
#include "pattern/observation.h"

namespace sw::index::logs {

// A log time as a STIX timestamp: epoch seconds with an optional fraction (Zeek "1705314225.5"),
// or ISO 8601 "YYYY-MM-DD[T ]HH:MM:SS[.f+]" with "Z", "+HH:MM", "+HHMM", "+HH" or no zone (UTC),
// e.g. EVE "2024-01-15T10:23:45.123456+0100". Errors say what is wrong.
core::Result<core::Timestamp> parse_log_time(std::string_view text);

// The observed-data and SCO JSON texts for `record` (ObservationSource::bundle_id stays empty).
pattern::ObservationSource observation_json(const Record& record, const core::Timestamp& now);

// The same, read into an Observation the matcher can evaluate.
core::Result<pattern::Observation> build_observation(const Record& record,
                                                     const core::Timestamp& now);

}  // namespace sw::index::logs
