#include "validation_limits.hpp"

namespace dns {

bool ValidationBudget::charge_signature_verification() {
    if (spent_ || signature_verifications_left_ == 0) {
        spent_ = true;
        return false;
    }
    --signature_verifications_left_;
    return true;
}

bool ValidationBudget::charge_nsec3_hash(uint16_t iterations) {
    const size_t cost = size_t{1} + iterations;
    if (spent_ || nsec3_sha1_computations_left_ < cost) {
        spent_ = true;
        return false;
    }
    nsec3_sha1_computations_left_ -= cost;
    return true;
}

} // namespace dns
