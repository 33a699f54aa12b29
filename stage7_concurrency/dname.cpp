#include "dname.hpp"

#include "message_writer.hpp"

namespace dns {

bool dname_applies(const ResourceRecord& dname, const DnsName& name) {
    return name.is_in(dname.name) && !(name == dname.name);
}

std::optional<DnsName> substitute_dname(const ResourceRecord& dname, const DnsName& name) {
    const DnsName target = rdata_as_name(dname);
    // The labels of `name` above the owner, then the target's labels.
    const auto& labels = name.labels();
    std::vector<std::string> substituted(
        labels.begin(), labels.end() - static_cast<long>(dname.name.labels().size()));
    substituted.insert(substituted.end(), target.labels().begin(), target.labels().end());
    try {
        return DnsName(std::move(substituted));
    } catch (const NameError&) {
        return std::nullopt; // longer than 255 bytes: YXDOMAIN
    }
}

ResourceRecord synthesized_cname(const ResourceRecord& dname, const DnsName& name,
                                 const DnsName& target) {
    // The RDATA of a CNAME: the target in wire form, uncompressed.
    MessageWriter writer(DnsName::max_wire_length);
    writer.write_name(target);
    return ResourceRecord{name, type_cname, dname.klass, dname.ttl, writer.bytes()};
}

} // namespace dns
