#pragma once

#include <string>

namespace playstream::cql::driver {

// TLS to the nodes (client_encryption_options on the server side); transport.hpp uses it.
struct TlsOptions {
    bool enabled = false;
    std::string ca_file;    // PEM CA(s) that signed the nodes' certificates; empty: the system's CAs
    std::string cert_file;  // PEM client certificate (chain) for mutual TLS; empty: none
    std::string key_file;   // its PEM private key, unencrypted
    // Whether the node's certificate must name the address or host name we connect to. Off, any
    // certificate the CA signed is accepted for any node: unsafe (a stolen node key, or any
    // certificate of the CA, can impersonate every node).
    bool verify_hostname = true;
};

}  // namespace playstream::cql::driver
