// DNAME substitution (RFC 6672 section 2.2) and the CNAME it implies (3.4).

#include "../dname.hpp"
#include "../message_writer.hpp"

#include <doctest/doctest.h>

using namespace dns;

namespace {

ResourceRecord dname_record(const std::string& owner, const std::string& target,
                            uint32_t ttl = 600) {
    MessageWriter writer(DnsName::max_wire_length);
    writer.write_name(DnsName::from_text(target));
    return ResourceRecord{DnsName::from_text(owner), type_dname, class_in, ttl, writer.bytes()};
}

// A name of `labels` labels of 60 bytes under `zone`.
std::string long_name(int labels, const std::string& zone) {
    std::string name;
    for (int i = 0; i < labels; ++i)
        name += std::string(60, static_cast<char>('a' + i)) + ".";
    return name + zone;
}

} // namespace

TEST_CASE("a DNAME redirects the names below its owner, not the owner itself") {
    const auto dname = dname_record("old.example.lab", "new.example.net");
    CHECK(dname_applies(dname, DnsName::from_text("www.old.example.lab")));
    CHECK(dname_applies(dname, DnsName::from_text("a.b.OLD.example.lab")));
    CHECK_FALSE(dname_applies(dname, DnsName::from_text("old.example.lab")));
    CHECK_FALSE(dname_applies(dname, DnsName::from_text("www.example.lab")));
    CHECK_FALSE(dname_applies(dname, DnsName::from_text("www.bold.example.lab")));
}

TEST_CASE("the owner's labels at the end of the name are replaced by the target's") {
    const auto dname = dname_record("old.example.lab", "new.example.net");
    CHECK(substitute_dname(dname, DnsName::from_text("www.old.example.lab")) ==
          DnsName::from_text("www.new.example.net"));
    CHECK(substitute_dname(dname, DnsName::from_text("a.b.old.example.lab")) ==
          DnsName::from_text("a.b.new.example.net"));
    // A target shorter than the owner, the root included.
    CHECK(substitute_dname(dname_record("old.example.lab", "lab"),
                           DnsName::from_text("x.old.example.lab")) == DnsName::from_text("x.lab"));
}

TEST_CASE("a substitution longer than 255 bytes gives nothing: YXDOMAIN (RFC 6672 2.2)") {
    // 3 labels of 60 under the target: 186 bytes; the 2 labels above the
    // owner add 122 more.
    const auto dname = dname_record("old.example.lab", long_name(3, "lab"));
    const DnsName asked = DnsName::from_text(long_name(2, "old.example.lab"));
    CHECK_FALSE(substitute_dname(dname, asked));
    // One label less above the owner fits.
    CHECK(substitute_dname(dname, DnsName::from_text(long_name(1, "old.example.lab"))));
}

TEST_CASE("the synthesized CNAME: from the name asked to the substitute, the DNAME's TTL") {
    const auto dname = dname_record("old.example.lab", "new.example.net", 1234);
    const DnsName asked = DnsName::from_text("www.old.example.lab");
    const auto cname = synthesized_cname(dname, asked, *substitute_dname(dname, asked));
    CHECK(cname.name == asked);
    CHECK(cname.type == type_cname);
    CHECK(cname.ttl == 1234);
    CHECK(rdata_as_name(cname) == DnsName::from_text("www.new.example.net"));
    CHECK(rdata_to_text(cname) == "www.new.example.net.");
}
