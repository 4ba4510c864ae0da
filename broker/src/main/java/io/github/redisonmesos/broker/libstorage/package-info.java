/**
 * The volume store on the libStorage API that REX-Ray serves.
 */
package io.github.redisonmesos.broker.libstorage;
