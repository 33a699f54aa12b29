// Denial of existence against the published examples: the NSEC responses of
// RFC 4035 Appendix B (over its zone of Appendix A), the canonical order of
// RFC 4034 section 6.1, and the NSEC3 hashes and responses of RFC 5155
// Appendices A and B. Every NSEC3 record of RFC 5155's zone has the opt-out
// flag, so its proofs come out proven_by_opt_out; each is also checked with
// the flag clear, and with a record of the proof taken away.

#include "../denial_of_existence.hpp"
#include "../dnssec_records.hpp"
#include "../text_encodings.hpp"
#include "dnssec_test_records.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace dns;
using namespace dns::testing;

namespace {

DnsName name(std::string_view text) {
    return DnsName::from_text(text);
}

constexpr uint16_t type_hinfo = 13;
constexpr uint16_t type_nsec3param = 51;

// ---- RFC 4035 Appendix A: the NSEC chain of example. that Appendix B uses ----

const ResourceRecord apex_nsec = nsec_record(
    "example.", "a.example.", {type_ns, type_soa, type_mx, type_rrsig, type_nsec, type_dnskey});
// b.example is a delegation to an unsigned zone: NS, no SOA, no DS.
const ResourceRecord b_nsec =
    nsec_record("b.example.", "ns1.example.", {type_ns, type_rrsig, type_nsec});
const ResourceRecord ns1_nsec =
    nsec_record("ns1.example.", "ns2.example.", {type_a, type_rrsig, type_nsec});
const ResourceRecord wildcard_nsec =
    nsec_record("*.w.example.", "x.w.example.", {type_mx, type_rrsig, type_nsec});
const ResourceRecord x_w_nsec =
    nsec_record("x.w.example.", "x.y.w.example.", {type_mx, type_rrsig, type_nsec});
const ResourceRecord x_y_w_nsec =
    nsec_record("x.y.w.example.", "xx.example.", {type_mx, type_rrsig, type_nsec});
// The last NSEC of the zone, whose next name is the apex again.
const ResourceRecord xx_nsec =
    nsec_record("xx.example.", "example.", {type_a, type_hinfo, type_aaaa, type_rrsig, type_nsec});

// ---- RFC 5155 Appendix A: the NSEC3 chain of its example. zone ----
// SHA-1, 12 iterations, salt aabbccdd; the owner names are the hashes.

ResourceRecord nsec3(std::string_view owner_hash, std::string_view next_hash,
                     std::initializer_list<uint16_t> types, uint8_t flags,
                     uint16_t iterations = 12) {
    return nsec3_record(std::string(owner_hash) + ".example.", flags, iterations, "aabbccdd",
                        next_hash, types);
}

// The records Appendix B's responses carry, with the opt-out flag as asked.
struct Rfc5155Records {
    explicit Rfc5155Records(uint8_t flags)
        : apex(nsec3("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", "2t7b4g4vsa5smi47k61mv5bv1a22bojr",
                     {type_ns, type_soa, type_mx, type_rrsig, type_dnskey, type_nsec3param},
                     flags)),
          ns1(nsec3("2t7b4g4vsa5smi47k61mv5bv1a22bojr", "2vptu5timamqttgl4luu9kg21e0aor3s",
                    {type_a, type_rrsig}, flags)),
          a(nsec3("35mthgpgcu1qg68fab165klnsnk3dpvl", "b4um86eghhds6nea196smvmlo4ors995",
                  {type_ns, type_ds, type_rrsig}, flags)),
          x_w(nsec3("b4um86eghhds6nea196smvmlo4ors995", "gjeqe526plbf1g8mklp59enfd789njgi",
                    {type_mx, type_rrsig}, flags)),
          y_w(nsec3("ji6neoaepv8b5o6k4ev33abha8ht9fgc", "k8udemvp1j2f7eg6jebps17vp3n8i58h", {},
                    flags)),
          w(nsec3("k8udemvp1j2f7eg6jebps17vp3n8i58h", "kohar7mbb8dc2ce8a9qvl8hon4k53uhi", {},
                  flags)),
          ns2(nsec3("q04jkcevqvmu85r014c7dkba38o0ji5r", "r53bq7cc2uvmubfu5ocmm6pers9tk9en",
                    {type_a, type_rrsig}, flags)),
          wildcard_w(nsec3("r53bq7cc2uvmubfu5ocmm6pers9tk9en", "t644ebqk9bibcna874givr6joj62mlhv",
                           {type_mx, type_rrsig}, flags)) {}

    ResourceRecord apex, ns1, a, x_w, y_w, w, ns2, wildcard_w;
};

const DnsName zone = name("example.");

} // namespace

TEST_CASE("the canonical order of names (RFC 4034 section 6.1's example)") {
    const std::vector<DnsName> in_order = {
        name("example."),         name("a.example."),      name("yljkjljk.a.example."),
        name("Z.a.example."),     name("zABC.a.EXAMPLE."), name("z.example."),
        name("\\001.z.example."), name("*.z.example."),    name("\\200.z.example."),
    };
    for (size_t i = 0; i + 1 < in_order.size(); ++i) {
        INFO(in_order[i].to_string() << " < " << in_order[i + 1].to_string());
        CHECK(compare_canonically(in_order[i], in_order[i + 1]) < 0);
        CHECK(compare_canonically(in_order[i + 1], in_order[i]) > 0);
    }
    CHECK(compare_canonically(name("Z.A.example."), name("z.a.EXAMPLE.")) == 0);
}

TEST_CASE("NSEC: a name error (RFC 4035 B.2, ml.example)") {
    const DnsName ml = name("ml.example.");
    CHECK(nsec_covers(b_nsec, ml));
    CHECK_FALSE(nsec_covers(ns1_nsec, ml));
    CHECK(nsec_closest_encloser(b_nsec, ml) == zone);
    CHECK(source_of_synthesis(zone).to_string() == "*.example.");
    CHECK(nsec_covers(apex_nsec, name("*.example.")));
    CHECK(nsec_proves_name_error(std::vector{b_nsec, apex_nsec}, ml));
    // Without the NSEC that denies the wildcard, a wildcard might have answered.
    CHECK_FALSE(nsec_proves_name_error(std::vector{b_nsec}, ml));
    CHECK_FALSE(nsec_proves_name_error(std::vector{apex_nsec}, ml));
    // A name that exists is not covered by the NSEC of its own owner.
    CHECK_FALSE(nsec_covers(ns1_nsec, name("ns1.example.")));
}

TEST_CASE("NSEC: the parent's NSEC of a delegation proves nothing below it (RFC 6840 4.1)") {
    // mc.b.example sorts between b.example and ns1.example, but it is in the
    // unsigned child zone b.example: the parent cannot deny it.
    CHECK_FALSE(nsec_covers(b_nsec, name("mc.b.example.")));
    // The same chain without the delegation (b.example with its own SOA) would.
    const ResourceRecord b_apex =
        nsec_record("b.example.", "ns1.example.", {type_ns, type_soa, type_rrsig, type_nsec});
    CHECK(nsec_covers(b_apex, name("mc.b.example.")));
}

TEST_CASE("NSEC: the last NSEC of the zone wraps round to the apex") {
    CHECK(nsec_covers(xx_nsec, name("xxx.example.")));
    CHECK(nsec_covers(xx_nsec, name("zz.example.")));
    CHECK_FALSE(nsec_covers(xx_nsec, name("a.example.")));
    CHECK_FALSE(nsec_covers(xx_nsec, name("other.")));
}

TEST_CASE("NSEC: NODATA (RFC 4035 B.3, B.5, B.8)") {
    // B.3: ns1.example has an A record, no MX.
    CHECK(nsec_proves_nodata(ns1_nsec, name("ns1.example."), type_mx));
    CHECK_FALSE(nsec_proves_nodata(ns1_nsec, name("ns1.example."), type_a));
    CHECK_FALSE(nsec_proves_nodata(ns1_nsec, name("ns2.example."), type_mx));
    // A CNAME at the name would have been the answer.
    const ResourceRecord with_cname =
        nsec_record("ns1.example.", "ns2.example.", {type_cname, type_rrsig, type_nsec});
    CHECK_FALSE(nsec_proves_nodata(with_cname, name("ns1.example."), type_mx));
    // B.5: the delegation to b.example has no DS: an insecure delegation. The
    // parent's NSEC says nothing of other types there (they are the child's).
    CHECK(nsec_proves_nodata(b_nsec, name("b.example."), type_ds));
    CHECK_FALSE(nsec_proves_nodata(b_nsec, name("b.example."), type_a));
    // B.8: a DS query answered by the child zone's apex NSEC (SOA set) is no
    // proof: the DS is the parent's to deny.
    CHECK_FALSE(nsec_proves_nodata(apex_nsec, zone, type_ds));
    CHECK(nsec_proves_nodata(apex_nsec, zone, type_aaaa));
    // An empty non-terminal: y.w.example has no records, x.y.w.example has.
    CHECK(nsec_proves_nodata(x_w_nsec, name("y.w.example."), type_a));
    CHECK_FALSE(nsec_proves_nodata(x_w_nsec, name("ya.w.example."), type_a));
}

TEST_CASE("NSEC: wildcards (RFC 4035 B.6 and B.7, RFC 4592)") {
    const DnsName asked = name("a.z.w.example.");
    // B.6: the MX answer was made from *.w.example (RRSIG labels 2); the NSEC
    // shows that z.w.example, the next closer name, does not exist.
    CHECK(nsec_proves_wildcard_answer(std::vector{x_y_w_nsec}, asked, 2));
    CHECK_FALSE(nsec_proves_wildcard_answer(std::vector{ns1_nsec}, asked, 2));
    CHECK_FALSE(nsec_proves_wildcard_answer(std::vector{x_y_w_nsec}, asked, 4)); // not a wildcard
    // B.7: no AAAA at a.z.w.example: the name is not there, and the wildcard
    // that answers for it has no AAAA.
    CHECK(nsec_closest_encloser(x_y_w_nsec, asked) == name("w.example."));
    CHECK(nsec_proves_wildcard_nodata(std::vector{x_y_w_nsec, wildcard_nsec}, asked, type_aaaa));
    CHECK_FALSE(
        nsec_proves_wildcard_nodata(std::vector{x_y_w_nsec, wildcard_nsec}, asked, type_mx));
    CHECK_FALSE(nsec_proves_wildcard_nodata(std::vector{x_y_w_nsec}, asked, type_aaaa));
}

TEST_CASE("NSEC3 hashes of the example names (RFC 5155 Appendix A)") {
    const std::pair<const char*, const char*> hashes[] = {
        {"example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"},
        {"a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl"},
        {"ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi"},
        {"ns1.example.", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"},
        {"ns2.example.", "q04jkcevqvmu85r014c7dkba38o0ji5r"},
        {"w.example.", "k8udemvp1j2f7eg6jebps17vp3n8i58h"},
        {"*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"},
        {"x.w.example.", "b4um86eghhds6nea196smvmlo4ors995"},
        {"y.w.example.", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"},
        {"x.y.w.example.", "2vptu5timamqttgl4luu9kg21e0aor3s"},
        {"xx.example.", "t644ebqk9bibcna874givr6joj62mlhv"},
        // A name that is itself a hash: the hash is of the wire name, not the text.
        {"2t7b4g4vsa5smi47k61mv5bv1a22bojr.example.", "kohar7mbb8dc2ce8a9qvl8hon4k53uhi"},
    };
    const auto salt = hex("aabbccdd");
    for (const auto& [owner, hash] : hashes) {
        INFO(owner);
        CHECK(nsec3_hash(name(owner), salt, 12) == decode_base32hex(hash).value());
        // Case does not matter (the name is hashed in canonical form)...
        std::string upper(owner);
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        CHECK(nsec3_hash(name(upper), salt, 12) == decode_base32hex(hash).value());
        // ...but the iterations and the salt do.
        CHECK(nsec3_hash(name(owner), salt, 11) != decode_base32hex(hash).value());
        CHECK(nsec3_hash(name(owner), hex("aabbccde"), 12) != decode_base32hex(hash).value());
    }
    const ResourceRecord record = Rfc5155Records(1).ns1;
    CHECK(nsec3_owner_hash(record.name) == decode_base32hex("2t7b4g4vsa5smi47k61mv5bv1a22bojr"));
    CHECK(nsec3_matches(record, nsec3_hash(name("ns1.example."), salt, 12)));
    CHECK(nsec3_covers(record, nsec3_hash(name("x.y.w.example."), salt, 12)) == false);
    CHECK(nsec3_covers(Rfc5155Records(1).apex, nsec3_hash(name("c.x.w.example."), salt, 12)));
}

TEST_CASE("NSEC3: a name error, the closest encloser proof (RFC 5155 B.1)") {
    for (const uint8_t flags : {uint8_t{1}, uint8_t{0}}) {
        INFO("flags " << int{flags});
        const Rfc5155Records records(flags);
        // x.w.example exists (matched), c.x.w.example does not (covered by the
        // apex's record), nor *.x.w.example (covered by a.example's).
        const std::vector proof{records.apex, records.x_w, records.a};
        ValidationBudget budget;
        const Nsec3Proof result =
            nsec3_prove_name_error(proof, name("a.c.x.w.example."), zone, budget);
        CHECK(result.status ==
              (flags == 1 ? DenialStatus::proven_by_opt_out : DenialStatus::proven));
        CHECK(result.closest_encloser == name("x.w.example."));
        CHECK(result.next_closer == name("c.x.w.example."));
        // a.c.x.w.example, c.x.w.example, x.w.example, *.x.w.example: 4 names of 13 SHA-1 each.
        CHECK(budget.nsec3_sha1_computations_left() ==
              validation_limits::max_nsec3_sha1_computations_per_lookup - 4 * 13);
        for (size_t left_out = 0; left_out < proof.size(); ++left_out) {
            INFO("without record " << left_out);
            std::vector partial = proof;
            partial.erase(partial.begin() + static_cast<std::ptrdiff_t>(left_out));
            ValidationBudget fresh;
            CHECK(nsec3_prove_name_error(partial, name("a.c.x.w.example."), zone, fresh).status ==
                  DenialStatus::not_proven);
        }
    }
}

TEST_CASE("NSEC3: NODATA (RFC 5155 B.2, B.2.1, B.3, B.5, B.6)") {
    const Rfc5155Records records(1);
    ValidationBudget budget;
    // B.2: ns1.example has an A record, no MX.
    CHECK(nsec3_prove_nodata(std::vector{records.ns1}, name("ns1.example."), type_mx, zone, budget)
              .status == DenialStatus::proven);
    CHECK(nsec3_prove_nodata(std::vector{records.ns1}, name("ns1.example."), type_a, zone, budget)
              .status == DenialStatus::not_proven);
    // B.2.1: y.w.example is an empty non-terminal: its record lists no type.
    CHECK(nsec3_prove_nodata(std::vector{records.y_w}, name("y.w.example."), type_a, zone, budget)
              .status == DenialStatus::proven);
    // B.3: no DS for c.example, a delegation to an unsigned zone left out of
    // the chain by opt-out: the apex is the closest encloser, and the record
    // covering c.example has the opt-out flag. Without the flag, no proof.
    const Nsec3Proof opt_out = nsec3_prove_nodata(std::vector{records.a, records.apex},
                                                  name("c.example."), type_ds, zone, budget);
    CHECK(opt_out.status == DenialStatus::proven_by_opt_out);
    const Rfc5155Records without_opt_out(0);
    CHECK(nsec3_prove_nodata(std::vector{without_opt_out.a, without_opt_out.apex},
                             name("c.example."), type_ds, zone, budget)
              .status == DenialStatus::not_proven);
    // B.5: no AAAA at a.z.w.example: w.example is the closest encloser,
    // z.w.example is covered, and the wildcard *.w.example has MX only.
    for (const uint8_t flags : {uint8_t{1}, uint8_t{0}}) {
        const Rfc5155Records chain(flags);
        const std::vector proof{chain.w, chain.ns2, chain.wildcard_w};
        const Nsec3Proof wildcard =
            nsec3_prove_nodata(proof, name("a.z.w.example."), type_aaaa, zone, budget);
        CHECK(wildcard.status ==
              (flags == 1 ? DenialStatus::proven_by_opt_out : DenialStatus::proven));
        CHECK(wildcard.closest_encloser == name("w.example."));
        CHECK(nsec3_prove_nodata(proof, name("a.z.w.example."), type_mx, zone, budget).status ==
              DenialStatus::not_proven);
        CHECK(nsec3_prove_nodata(std::vector{chain.w, chain.ns2}, name("a.z.w.example."), type_aaaa,
                                 zone, budget)
                  .status == DenialStatus::not_proven);
    }
    // B.6: a DS query answered from the child's apex (SOA set): no proof.
    CHECK(nsec3_prove_nodata(std::vector{records.apex}, zone, type_ds, zone, budget).status ==
          DenialStatus::not_proven);
}

TEST_CASE("NSEC3: a wildcard answer (RFC 5155 B.4)") {
    for (const uint8_t flags : {uint8_t{1}, uint8_t{0}}) {
        const Rfc5155Records records(flags);
        ValidationBudget budget;
        // a.z.w.example's MX came from *.w.example (RRSIG labels 2): the next
        // closer name z.w.example must be covered.
        const Nsec3Proof proof = nsec3_prove_wildcard_answer(
            std::vector{records.ns2}, name("a.z.w.example."), 2, zone, budget);
        CHECK(proof.status ==
              (flags == 1 ? DenialStatus::proven_by_opt_out : DenialStatus::proven));
        CHECK(proof.closest_encloser == name("w.example."));
        CHECK(proof.next_closer == name("z.w.example."));
        CHECK(nsec3_prove_wildcard_answer(std::vector{records.ns1}, name("a.z.w.example."), 2, zone,
                                          budget)
                  .status == DenialStatus::not_proven);
    }
}

TEST_CASE("NSEC3: a closest encloser that is a delegation proves nothing (RFC 6840 4.1)") {
    Rfc5155Records records(0);
    // x.w.example made a delegation (NS without SOA): names below it are the child's.
    records.x_w = nsec3("b4um86eghhds6nea196smvmlo4ors995", "gjeqe526plbf1g8mklp59enfd789njgi",
                        {type_ns, type_rrsig}, 0);
    ValidationBudget budget;
    CHECK(nsec3_prove_name_error(std::vector{records.apex, records.x_w, records.a},
                                 name("a.c.x.w.example."), zone, budget)
              .status == DenialStatus::not_proven);
}

TEST_CASE("NSEC3: more than 100 iterations is insecure, not validated (RFC 9276 3.2)") {
    const ResourceRecord many =
        nsec3("2t7b4g4vsa5smi47k61mv5bv1a22bojr", "2vptu5timamqttgl4luu9kg21e0aor3s",
              {type_a, type_rrsig}, 0, validation_limits::max_nsec3_iterations + 1);
    ValidationBudget budget;
    CHECK(
        nsec3_prove_nodata(std::vector{many}, name("ns1.example."), type_mx, zone, budget).status ==
        DenialStatus::insecure_iterations);
    // Nothing was hashed for it.
    CHECK(budget.nsec3_sha1_computations_left() ==
          validation_limits::max_nsec3_sha1_computations_per_lookup);
    const ResourceRecord at_limit =
        nsec3("2t7b4g4vsa5smi47k61mv5bv1a22bojr", "2vptu5timamqttgl4luu9kg21e0aor3s",
              {type_a, type_rrsig}, 0, validation_limits::max_nsec3_iterations);
    // 100 iterations: hashed (to another hash than the records' owner, so not proven).
    CHECK(nsec3_prove_nodata(std::vector{at_limit}, name("ns1.example."), type_mx, zone, budget)
              .status == DenialStatus::not_proven);
}

TEST_CASE("NSEC3: hashing is charged to the lookup's budget (CVE-2023-50868)") {
    const Rfc5155Records records(0);
    const std::vector proof{records.apex, records.x_w, records.a};
    // Room for three names of 13 SHA-1 computations, not the fourth (the wildcard).
    ValidationBudget budget(0, 3 * 13);
    CHECK(nsec3_prove_name_error(proof, name("a.c.x.w.example."), zone, budget).status ==
          DenialStatus::budget_spent);
    CHECK(budget.spent());
    // Spent stays spent: the next proof of the lookup is refused at once.
    CHECK(nsec3_prove_nodata(std::vector{records.ns1}, name("ns1.example."), type_mx, zone, budget)
              .status == DenialStatus::budget_spent);
    // A long name below a zone with many iterations is what the budget stops.
    ValidationBudget lookup;
    const std::string long_name = "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.example.";
    const ResourceRecord costly =
        nsec3("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", "2t7b4g4vsa5smi47k61mv5bv1a22bojr", {type_soa}, 0,
              validation_limits::max_nsec3_iterations);
    CHECK(nsec3_prove_name_error(std::vector{costly}, name(long_name), zone, lookup).status ==
          DenialStatus::budget_spent);
}
