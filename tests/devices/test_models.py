

def test_a_device_without_brand_or_model_has_no_stray_space_in_its_name():
    from devices.models import Device, DeviceKind
    device = Device(asset_tag="T16-0001", kind=DeviceKind.LAPTOP, brand="Dell", model_name="")
    assert str(device) == "T16-0001 (Laptop Dell)"
