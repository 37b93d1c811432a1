#!/bin/bash
# devstack plugin: vbs-native, in one of two modes (VBS_NATIVE_MODE):
#
# cinder      inside Cinder's API: the steps of doc/source/install/cinder.rst
#             (the package in Cinder's Python, a read-only database user,
#             /etc/vbs-native/vbs-native.conf, the two filters in Cinder's
#             api-paste.ini); devstack starts c-api after post-config.
# standalone  a service of its own, as doc/source/install/standalone.rst:
#             its own database (devstack's database helpers: MySQL or
#             PostgreSQL), keystone authentication, vbs-native-api under
#             systemd (devstack@vbs-native-api), and the native endpoint in
#             the catalog.
#
# Enabled by the service name vbs-native (settings enables it).

VBS_NATIVE_FILTER_MODULE=vbs_native.api.cinder_filter

function install_vbs_native {
    setup_develop $VBS_NATIVE_DIR
    if [[ "${DATABASE_TYPE:-mysql}" == "postgresql" ]]; then
        pip_install psycopg2-binary
    else
        pip_install PyMySQL
    fi
}

# Step 2: a user that may only read Cinder's backups tables.
function create_vbs_native_db_user {
    local sql
    if [[ "${DATABASE_TYPE:-mysql}" == "postgresql" ]]; then
        sql="DROP ROLE IF EXISTS $VBS_NATIVE_DB_USER;"
        sql+="CREATE ROLE $VBS_NATIVE_DB_USER LOGIN PASSWORD '$VBS_NATIVE_DB_PASSWORD';"
        sql+="GRANT SELECT ON backups, backup_metadata TO $VBS_NATIVE_DB_USER;"
        PGPASSWORD=$DATABASE_PASSWORD psql -h$DATABASE_HOST -U$DATABASE_USER -d cinder -c "$sql"
        return
    fi
    sql="CREATE USER IF NOT EXISTS '$VBS_NATIVE_DB_USER'@'%' IDENTIFIED BY '$VBS_NATIVE_DB_PASSWORD';"
    sql+="GRANT SELECT ON cinder.backups TO '$VBS_NATIVE_DB_USER'@'%';"
    sql+="GRANT SELECT ON cinder.backup_metadata TO '$VBS_NATIVE_DB_USER'@'%';"
    mysql -u$DATABASE_USER -p$DATABASE_PASSWORD -h$MYSQL_HOST -e "$sql"
}

# The read-only user's URL of Cinder's database.
function vbs_native_cinder_url {
    if [[ "${DATABASE_TYPE:-mysql}" == "postgresql" ]]; then
        echo "postgresql+psycopg2://$VBS_NATIVE_DB_USER:$VBS_NATIVE_DB_PASSWORD@$DATABASE_HOST/cinder"
    else
        echo "mysql+pymysql://$VBS_NATIVE_DB_USER:$VBS_NATIVE_DB_PASSWORD@$MYSQL_HOST/cinder?charset=utf8mb4"
    fi
}

# Step 3 and 4: the configuration file, with Cinder's policy file.
function configure_vbs_native {
    sudo install -d -o $STACK_USER $VBS_NATIVE_CONF_DIR
    rm -f $VBS_NATIVE_CONF
    iniset $VBS_NATIVE_CONF database connection "$(vbs_native_cinder_url)"
    iniset $VBS_NATIVE_CONF oslo_policy policy_file $CINDER_CONF_DIR/policy.yaml
    local max_limit
    max_limit=$(iniget $CINDER_CONF DEFAULT osapi_max_limit)
    if [[ -n "$max_limit" ]]; then
        iniset $VBS_NATIVE_CONF DEFAULT osapi_max_limit $max_limit
    fi
    iniset $VBS_NATIVE_CONF vbs_native cinder_routes $VBS_NATIVE_CINDER_ROUTES
}

# Step 5: vbs_native_versions before the auth filter, vbs_native just
# before apiv3, in each pipeline of [composite:openstack_volume_api_v3].
function configure_cinder_paste {
    local paste=$CINDER_API_PASTE_INI
    local section=composite:openstack_volume_api_v3
    local key pipeline auth
    for key in noauth noauth_include_project_id keystone keystone_nolimit; do
        pipeline=" $(iniget $paste $section $key) "
        if [[ "$pipeline" == "  " || "$pipeline" == *" vbs_native "* ]]; then
            continue
        fi
        for auth in authtoken noauth_include_project_id noauth; do
            if [[ "$pipeline" == *" $auth "* ]]; then
                pipeline=${pipeline/ $auth / vbs_native_versions $auth }
                break
            fi
        done
        pipeline=${pipeline/ apiv3 / vbs_native apiv3 }
        pipeline=$(echo $pipeline)
        iniset $paste $section $key "$pipeline"
    done
    iniset $paste filter:vbs_native_versions paste.filter_factory \
        $VBS_NATIVE_FILTER_MODULE:versions_filter_factory
    iniset $paste filter:vbs_native_versions config_file $VBS_NATIVE_CONF
    iniset $paste filter:vbs_native paste.filter_factory \
        $VBS_NATIVE_FILTER_MODULE:filter_factory
    iniset $paste filter:vbs_native config_file $VBS_NATIVE_CONF
}

# Standalone: its own database, keystone, the catalog, a systemd unit.
function configure_vbs_native_standalone {
    sudo install -d -o $STACK_USER $VBS_NATIVE_CONF_DIR $VBS_NATIVE_STATE_PATH
    rm -f $VBS_NATIVE_CONF
    iniset $VBS_NATIVE_CONF DEFAULT state_path $VBS_NATIVE_STATE_PATH
    iniset $VBS_NATIVE_CONF DEFAULT osapi_volume_listen $VBS_NATIVE_LISTEN
    iniset $VBS_NATIVE_CONF DEFAULT osapi_volume_listen_port $VBS_NATIVE_PORT
    iniset $VBS_NATIVE_CONF DEFAULT auth_strategy keystone
    iniset $VBS_NATIVE_CONF DEFAULT debug $ENABLE_DEBUG_LOG_LEVEL
    iniset $VBS_NATIVE_CONF database connection "$(vbs_native_database_url)"
    configure_keystone_authtoken_middleware $VBS_NATIVE_CONF vbs-native
}

# devstack's URL of the vbs_native database, with the driver SQLAlchemy
# 2.1 needs for PostgreSQL (a bare postgresql:// means psycopg 3).
function vbs_native_database_url {
    local url
    url=$(database_connection_url vbs_native)
    echo "${url/#postgresql:/postgresql+psycopg2:}"
}

function init_vbs_native_standalone {
    recreate_database vbs_native
    $VBS_NATIVE_BIN_DIR/vbs-native-manage --config-file $VBS_NATIVE_CONF db sync
}

function create_vbs_native_accounts {
    create_service_user vbs-native
    register_vbs_native_endpoint \
        "$VBS_NATIVE_SERVICE_PROTOCOL://$VBS_NATIVE_SERVICE_HOST:$VBS_NATIVE_PORT/v3/%(project_id)s/native"
}

# The native endpoint URL in the catalog, as the install guides register it:
# a region of its own (a child of $REGION_NAME, so that clients looking for
# Cinder's block-storage endpoint keep finding Cinder's) with Keystone's
# endpoint, and the URL under block-storage and volumev3.
function register_vbs_native_endpoint {
    local url=$1
    local os_cmd="openstack --os-cloud devstack-system-admin"
    local type service
    $os_cmd region show $VBS_NATIVE_REGION >/dev/null 2>&1 || \
        $os_cmd region create --parent-region $REGION_NAME $VBS_NATIVE_REGION
    get_or_create_endpoint identity $VBS_NATIVE_REGION $KEYSTONE_SERVICE_URI
    for type in block-storage volumev3; do
        service=$($os_cmd service list --long -f value -c ID -c Name -c Type \
            | awk -v type=$type '$2 == "vbs-native" && $3 == type {print $1}')
        if [[ -z "$service" ]]; then
            service=$($os_cmd service create --name vbs-native \
                --description "vbs-native backup queries" -f value -c id $type)
        fi
        get_or_create_endpoint $service $VBS_NATIVE_REGION "$url"
    done
}

function start_vbs_native_standalone {
    run_process vbs-native-api \
        "$VBS_NATIVE_BIN_DIR/vbs-native-api --config-file $VBS_NATIVE_CONF"
    $VBS_NATIVE_BIN_DIR/vbs-native-status --config-file $VBS_NATIVE_CONF upgrade check || \
        [[ $? -eq 1 ]]
}

function cleanup_vbs_native {
    if [[ "$VBS_NATIVE_MODE" == "cinder" ]]; then
        if [[ "${DATABASE_TYPE:-mysql}" == "postgresql" ]]; then
            PGPASSWORD=$DATABASE_PASSWORD psql -h$DATABASE_HOST -U$DATABASE_USER \
                -d cinder -c "DROP ROLE IF EXISTS $VBS_NATIVE_DB_USER;" || true
        else
            mysql -u$DATABASE_USER -p$DATABASE_PASSWORD -h$MYSQL_HOST \
                -e "DROP USER IF EXISTS '$VBS_NATIVE_DB_USER'@'%';" || true
        fi
    fi
    sudo rm -rf $VBS_NATIVE_CONF_DIR
}

if is_service_enabled vbs-native; then
    if [[ "$VBS_NATIVE_MODE" == "cinder" ]] && ! is_service_enabled c-api; then
        die $LINENO "VBS_NATIVE_MODE=cinder needs c-api; enable it or set VBS_NATIVE_MODE=standalone"
    fi
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing vbs-native"
        install_vbs_native
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        if [[ "$VBS_NATIVE_MODE" == "cinder" ]]; then
            echo_summary "Configuring vbs-native inside the Cinder API"
            create_vbs_native_db_user
            configure_vbs_native
            configure_cinder_paste
            if is_service_enabled keystone; then
                register_vbs_native_endpoint \
                    "$CINDER_SERVICE_PROTOCOL://$CINDER_SERVICE_HOST:$CINDER_SERVICE_PORT/v3/%(project_id)s/native"
            fi
        else
            echo_summary "Configuring vbs-native standalone"
            configure_vbs_native_standalone
            init_vbs_native_standalone
            create_vbs_native_accounts
        fi
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        if [[ "$VBS_NATIVE_MODE" == "standalone" ]]; then
            echo_summary "Starting vbs-native-api"
            start_vbs_native_standalone
        fi
    fi
    if [[ "$1" == "unstack" && "$VBS_NATIVE_MODE" == "standalone" ]]; then
        stop_process vbs-native-api
    fi
    if [[ "$1" == "clean" ]]; then
        cleanup_vbs_native
    fi
fi
