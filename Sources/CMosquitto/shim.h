#ifndef COUNCIL_CMOSQUITTO_SHIM_H
#define COUNCIL_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
