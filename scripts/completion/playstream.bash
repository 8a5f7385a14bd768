# bash completion for playstream: commands, each command's options, and the values of the options
# that take one of a fixed set. Installed as /usr/share/bash-completion/completions/playstream;
# tests/e2e/completion.sh checks these lists against `playstream [COMMAND] --help`.
_playstream() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="broker produce stream query schema demo migrate serve"
    local global="--help --version --config --print-config --log-format"
    local command="" word options
    for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        case " $commands " in *" $word "*) command=$word; break ;; esac
    done
    case $command in
        broker) options="--help --port --topic" ;;
        produce) options="--help --brokers --topic --catalog --count --rate --users --user --seed --partitions --compression --echo --lenient --kafka-security-protocol --kafka-sasl-mechanism --kafka-sasl-username --kafka-sasl-password --kafka-sasl-password-file --kafka-ssl-ca --kafka-option --http" ;;
        stream) options="--help --brokers --topic --group --catalog --store --cassandra-user --cassandra-password --cassandra-password-file --cassandra-tls --cassandra-ca --cassandra-cert --cassandra-key --cassandra-tls-no-verify-hostname --cassandra-compression --cassandra-local-dc --write-consistency --flush-interval --linger --batch-size --commit-interval --from --exit-when-idle --max-messages --report-interval --lenient --dead-letter-topic --on-data-loss --kafka-security-protocol --kafka-sasl-mechanism --kafka-sasl-username --kafka-sasl-password --kafka-sasl-password-file --kafka-ssl-ca --kafka-option --http" ;;
        query) options="--help --store --cassandra-user --cassandra-password --cassandra-password-file --cassandra-tls --cassandra-ca --cassandra-cert --cassandra-key --cassandra-tls-no-verify-hostname --cassandra-compression --cassandra-local-dc --user --date --hour --prefix --limit --format --out" ;;
        schema) options="--help --store --cassandra-user --cassandra-password --cassandra-password-file --cassandra-tls --cassandra-ca --cassandra-cert --cassandra-key --cassandra-tls-no-verify-hostname --cassandra-compression --cassandra-local-dc --replication-strategy --replication-factor --replication" ;;
        demo) options="--help --events --catalog --user --out --serve --http" ;;
        migrate) options="--help --from --to --catalog --lenient --cassandra-user --cassandra-password --cassandra-password-file --cassandra-tls --cassandra-ca --cassandra-cert --cassandra-key --cassandra-tls-no-verify-hostname --cassandra-compression --cassandra-local-dc --write-consistency --rejects --state-file --resume --max-ranges --token-ranges --page-size --report-interval" ;;
        serve) options="--help --store --cassandra-user --cassandra-password --cassandra-password-file --cassandra-tls --cassandra-ca --cassandra-cert --cassandra-key --cassandra-tls-no-verify-hostname --cassandra-compression --cassandra-local-dc --http --metrics" ;;
        *) options=$global ;;
    esac
    local values=""
    case $prev in
        --catalog | --out | --config | --rejects | --state-file | --*-file | --kafka-ssl-ca | --cassandra-ca | --cassandra-cert | --cassandra-key)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --log-format) values="text json" ;;
        --format) values="table csv json" ;;
        --compression) values="gzip lz4 zstd snappy none" ;;
        --on-data-loss) values="continue fail" ;;
        --replication-strategy) values="SimpleStrategy NetworkTopologyStrategy" ;;
        --kafka-security-protocol) values="plaintext ssl sasl_plaintext sasl_ssl" ;;
        --write-consistency) values="ANY ONE TWO THREE QUORUM ALL LOCAL_QUORUM EACH_QUORUM SERIAL LOCAL_SERIAL LOCAL_ONE" ;;
        --cassandra-compression) values="lz4 none" ;;
        --from) [ "$command" = stream ] && values="earliest latest" ;;
    esac
    if [ -n "$values" ]; then
        COMPREPLY=($(compgen -W "$values" -- "$cur"))
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [ -z "$command" ]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    elif [ "$command" = query ] && [ "$prev" = query ]; then
        COMPREPLY=($(compgen -W "sample songs stats users dates hours" -- "$cur"))
    fi
}
complete -F _playstream playstream
