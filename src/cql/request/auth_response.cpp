#include "cql/request/auth_response.hpp"

namespace playstream::cql::request {

AuthResponse AuthResponse::plain(std::string_view user, std::string_view password) {
    AuthResponse r;
    r.token.reserve(2 + user.size() + password.size());
    r.token.push_back(0);
    r.token.insert(r.token.end(), user.begin(), user.end());
    r.token.push_back(0);
    r.token.insert(r.token.end(), password.begin(), password.end());
    return r;
}

}  // namespace playstream::cql::request
